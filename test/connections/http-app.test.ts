import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqliteTestStore } from '../helpers/store.ts';
import { callbackPath, getConnection, openOAuthWorld, type OAuthWorld } from './harness.ts';

/** The generic `http` app: every URL and quirk comes from the person's parameters. One dialect: nothing here depends on it. */
describe('the generic http app', () => {
  let w: OAuthWorld;
  beforeAll(async () => {
    w = await openOAuthWorld(sqliteTestStore);
  });
  afterAll(async () => {
    await w.close();
  });

  const create = (body: Record<string, unknown>) =>
    w.t.app.inject({
      method: 'POST',
      url: '/api/v1/connections',
      headers: w.headers,
      payload: { app: 'http', ...body },
    });

  async function complete(authorizeUrl: string): Promise<{ status: number; body: string }> {
    const { callbackUrl } = await w.server.authorize(authorizeUrl, { login: 'alice@example.com', consent: true });
    const res = await w.t.app.inject({ method: 'GET', url: callbackPath(callbackUrl), headers: w.pageHeaders });
    return { status: res.statusCode, body: res.body };
  }

  it('completes the full flow with client_secret_basic and every URI given', async () => {
    const basic = w.server.client('client_secret_basic');
    const res = await create({
      name: 'Generic',
      scopes: ['openid', 'email', 'read'],
      parameters: {
        authorizeUri: w.server.authorizationEndpoint,
        tokenUri: w.server.tokenEndpoint,
        revokeUri: w.server.revocationEndpoint,
        verifyUri: w.server.userinfoEndpoint,
        baseUrl: `${w.server.issuer}/api`,
        clientId: basic.clientId,
        clientSecret: basic.clientSecret,
        clientAuth: 'client_secret_basic',
        authorizeParameters: { prompt: 'consent' },
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    const { connection, authorizeUrl } = res.json();
    expect(JSON.stringify(res.json())).not.toContain(basic.clientSecret);
    const url = new URL(authorizeUrl);
    expect(url.searchParams.get('client_id')).toBe(basic.clientId);
    expect(url.searchParams.get('scope')).toBe('openid email read');
    expect(url.searchParams.get('prompt')).toBe('consent');
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');

    const before = w.server.tokenRequests.length;
    const cb = await complete(authorizeUrl);
    expect(cb.status, cb.body).toBe(200);
    const exchange = w.server.tokenRequests.slice(before);
    expect(exchange).toEqual([
      { grantType: 'authorization_code', clientId: basic.clientId, status: 200, error: undefined, injected: false },
    ]);

    const { body } = await getConnection(w, connection.id);
    expect(body).toMatchObject({ status: 'active', app: 'http', account: { id: 'alice', label: 'alice@example.com' } });
    expect(body.scopes.sort()).toEqual(['email', 'openid', 'read']);
    expect(body.data).toMatchObject({
      clientId: basic.clientId,
      baseUrl: `${w.server.issuer}/api`,
      clientAuth: 'client_secret_basic',
    });
    expect(body.data).not.toHaveProperty('clientSecret');
    expect(JSON.stringify(body)).not.toContain(basic.clientSecret);

    // The credentials work: renewal with Basic client authentication, then verify.
    const creds = await w.t.connections.credentials.get(connection.id);
    await w.t.connections.credentials.get(connection.id, { staleVersion: creds.version });
    expect(w.server.tokenRequests.at(-1)).toMatchObject({
      grantType: 'refresh_token',
      clientId: basic.clientId,
      status: 200,
    });
    const verify = await w.t.app.inject({
      method: 'POST',
      url: `/api/v1/connections/${connection.id}/verify`,
      headers: w.headers,
    });
    expect(verify.json().verified).toBe(true);
    expect(verify.body).not.toContain(basic.clientSecret);

    const list = await w.t.app.inject({ method: 'GET', url: '/api/v1/connections?app=http', headers: w.headers });
    expect(list.body).not.toContain(basic.clientSecret);
  });

  it('fills the URIs from OpenID discovery when only the issuer is given', async () => {
    const post = w.server.client('client_secret_post');
    const res = await create({
      scopes: ['openid', 'email'],
      parameters: { issuer: w.server.issuer, clientId: post.clientId, clientSecret: post.clientSecret },
    });
    expect(res.statusCode, res.body).toBe(201);
    const url = new URL(res.json().authorizeUrl);
    expect(url.origin + url.pathname).toBe(w.server.authorizationEndpoint);
    const cb = await complete(url.href);
    expect(cb.status, cb.body).toBe(200);
    // Discovery also gave the verify request (userinfo) and the revocation endpoint.
    const { body } = await getConnection(w, res.json().connection.id);
    expect(body).toMatchObject({ status: 'active', account: { label: 'alice@example.com' } });
    const revocations = w.server.revocations.length;
    const del = await w.t.app.inject({ method: 'DELETE', url: `/api/v1/connections/${body.id}`, headers: w.headers });
    expect(del.statusCode).toBe(204);
    expect(w.server.revocations.length).toBe(revocations + 1);
  });

  it('refuses an iss from another server even when the person typed the URIs without an issuer (mix-up)', async () => {
    const post = w.server.client('client_secret_post');
    const res = await create({
      scopes: ['openid'],
      parameters: {
        authorizeUri: w.server.authorizationEndpoint,
        tokenUri: w.server.tokenEndpoint,
        clientId: post.clientId,
        clientSecret: post.clientSecret,
      },
    });
    const { callbackUrl } = await w.server.authorize(res.json().authorizeUrl, {
      login: 'alice@example.com',
      consent: true,
    });
    const tampered = new URL(callbackUrl);
    expect(tampered.searchParams.get('iss')).toBe(w.server.issuer);
    tampered.searchParams.set('iss', 'https://honest-server.example');
    const codes = w.server.grants.authorization_code;
    const refused = await w.t.app.inject({ method: 'GET', url: callbackPath(tampered.href), headers: w.pageHeaders });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('another authorization server');
    expect(w.server.grants.authorization_code).toBe(codes);
    expect((await getConnection(w, res.json().connection.id)).body.status).toBe('pending');

    // The server's own iss passes.
    const again = await w.t.app.inject({
      method: 'POST',
      url: `/api/v1/connections/${res.json().connection.id}/reauthorize`,
      headers: w.headers,
      payload: {},
    });
    expect(again.statusCode, again.body).toBe(200);
    const cb = await complete(again.json().authorizeUrl);
    expect(cb.status, cb.body).toBe(200);
  });

  it('refuses a bad URL with 400 naming the field, and saves nothing', async () => {
    const before = await w.t.store.db.selectFrom('connections').select('id').execute();
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ authorizeUri: 'not a url', tokenUri: w.server.tokenEndpoint, clientId: 'c' }, 'parameters.authorizeUri'],
      [
        { authorizeUri: w.server.authorizationEndpoint, tokenUri: 'ftp://example.com/token', clientId: 'c' },
        'parameters.tokenUri',
      ],
      [
        {
          authorizeUri: w.server.authorizationEndpoint,
          tokenUri: w.server.tokenEndpoint,
          clientId: 'c',
          baseUrl: 'javascript:alert(1)',
        },
        'parameters.baseUrl',
      ],
      [{ issuer: 'https://', clientId: 'c' }, 'parameters.issuer'],
      [{ tokenUri: w.server.tokenEndpoint, clientId: 'c' }, 'parameters.authorizeUri'],
      [{ authorizeUri: w.server.authorizationEndpoint, tokenUri: w.server.tokenEndpoint }, 'parameters.clientId'],
      [
        {
          authorizeUri: w.server.authorizationEndpoint,
          tokenUri: w.server.tokenEndpoint,
          clientId: 'c',
          clientAuth: 'none',
        },
        'parameters.clientAuth',
      ],
    ];
    for (const [parameters, field] of cases) {
      const res = await create({ parameters });
      expect(res.statusCode, `${field}: ${res.body}`).toBe(400);
      expect(res.json().error.field, res.body).toBe(field);
      expect(res.json().error.message.length).toBeGreaterThan(10);
    }
    expect(await w.t.store.db.selectFrom('connections').select('id').execute()).toEqual(before);
  });

  it('says so when the issuer publishes no usable discovery document', async () => {
    const res = await create({
      parameters: { issuer: `${w.server.issuer}/nothing-here`, clientId: 'c', clientSecret: 's' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'validation_failed', field: 'parameters.issuer' });
  });
});
