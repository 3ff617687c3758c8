import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApiToken } from '../../src/accounts/api-tokens.ts';
import { dialects } from '../helpers/store.ts';
import type { OAuthServer } from '../peers/oauth-server.ts';
import { connect, openOAuthWorld, sleep, startSharedOAuthServer, type OAuthWorld } from './harness.ts';
import { json, startServer } from './kinds-harness.ts';
import { placedValue } from '../helpers/placed.ts';

describe.each(dialects)('the proxy and client credentials against oidc-provider on $name', ({ open }) => {
  let server: OAuthServer;
  let resource: Awaited<ReturnType<typeof startServer>>;
  let w: OAuthWorld;
  let bearer: Record<string, string>;

  beforeAll(async () => {
    server = await startSharedOAuthServer();
    // A resource server that accepts only tokens the authorization server says are live.
    resource = await startServer(async (req, res, url) => {
      const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      if (token && (await server.tokenIsActive(token))) json(res, 200, { path: url.pathname, ok: true });
      else json(res, 401, { error: 'invalid_token' });
    });
  });
  afterAll(async () => {
    await resource.close();
    await server.close();
  });
  beforeEach(async () => {
    w = await openOAuthWorld(open, { sharedServer: server, appOverrides: { baseUrl: resource.url } });
    bearer = { authorization: `Bearer ${(await createApiToken(w.t.store, w.user.user.id, 'tests')).token}` };
  });
  afterEach(async () => {
    await w.close();
  });

  it('makes exactly one refresh for 50 concurrent proxied calls on an expired token', async () => {
    const { id } = await connect(w);
    const before = { ...server.grants };
    await sleep(server.accessTokenTtlSeconds * 1000 + 200);
    w.t.connections.credentials.cache.clear();
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        w.t.app.inject({ method: 'GET', url: `/api/v1/connections/${id}/proxy/things/${i}`, headers: bearer }),
      ),
    );
    expect(answers.map((a) => a.statusCode)).toEqual(Array.from({ length: 50 }, () => 200));
    expect(answers[7]!.json()).toEqual({ path: '/things/7', ok: true });
    expect(server.grants.refresh_token - before.refresh_token).toBe(1);
    expect(server.grants.invalid_grant).toBe(before.invalid_grant);
  });

  it('renews and retries once when the service answers 401 to a token Hitch thought valid', async () => {
    const { id } = await connect(w);
    const row = await w.t.store.db
      .selectFrom('connections')
      .select('credentials_version')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    // The service forgets the token early (revocation of the access token alone).
    const stored = await w.t.connections.credentials.get(id);
    await server.provider.AccessToken.find(placedValue(stored.placed)!.replace(/^Bearer /, '')).then((t) =>
      t?.destroy(),
    );
    const res = await w.t.app.inject({
      method: 'GET',
      url: `/api/v1/connections/${id}/proxy/after-401`,
      headers: bearer,
    });
    expect(res.statusCode).toBe(200);
    const after = await w.t.store.db
      .selectFrom('connections')
      .select('credentials_version')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(after.credentials_version).toBe(row.credentials_version + 1);
  });

  it('creates a client-credentials connection with no browser, and renews it by running the grant again', async () => {
    const client = server.client('client_secret_post');
    const base = {
      flow: 'client_credentials',
      tokenUri: server.tokenEndpoint,
      clientId: client.clientId,
      baseUrl: resource.url,
    };
    const refused = await w.t.app.inject({
      method: 'POST',
      url: '/api/v1/connections',
      headers: w.headers,
      payload: { app: 'http', auth: 'oauth2', parameters: { ...base, clientSecret: 'not-the-secret' } },
    });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().error.code).toBe('credentials_rejected');
    expect(refused.body).not.toContain('not-the-secret');
    expect(await w.t.store.db.selectFrom('connections').select('id').execute()).toHaveLength(0);

    const grantsBefore = server.grants.client_credentials;
    const created = await w.t.app.inject({
      method: 'POST',
      url: '/api/v1/connections',
      headers: w.headers,
      payload: {
        app: 'http',
        auth: 'oauth2',
        scopes: ['read'],
        parameters: { ...base, clientSecret: client.clientSecret },
      },
    });
    expect(created.statusCode).toBe(201);
    const { connection, authorizeUrl } = created.json();
    expect(authorizeUrl).toBeNull();
    expect(connection).toMatchObject({ status: 'active', auth: 'oauth2', account: { label: client.clientId } });
    expect(server.grants.client_credentials - grantsBefore).toBe(1);

    expect(
      (await w.t.app.inject({ method: 'GET', url: `/api/v1/connections/${connection.id}/proxy/cc`, headers: bearer }))
        .statusCode,
    ).toBe(200);
    await sleep(server.accessTokenTtlSeconds * 1000 + 200);
    const later = await w.t.app.inject({
      method: 'GET',
      url: `/api/v1/connections/${connection.id}/proxy/cc`,
      headers: bearer,
    });
    expect(later.statusCode).toBe(200);
    expect(server.grants.client_credentials - grantsBefore).toBe(2);
    expect(created.body).not.toContain(client.clientSecret);
  });
});
