import type { PlacedValue } from '../../src/outbound/types.ts';
import { createPrivateKey } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { signAssertion } from '../../src/auth/jwt/assertion.ts';
import { createLogger } from '../../src/log.ts';
import { createOutbound } from '../../src/outbound/client.ts';
import { catalogModules } from '../../src/scenarios/modules/catalog-modules.ts';
import { httpModules } from '../../src/scenarios/modules/http.ts';
import type { ModuleSpec } from '../../src/scenarios/modules/types.ts';
import { PUBLIC_URL } from '../http/app.ts';
import { dialects } from '../helpers/store.ts';
import { startGitHubAppServer, type GitHubAppServer } from '../peers/github-app-server.ts';
import { startJwtBearerServer, type JwtBearerServer } from '../peers/jwt-bearer-server.ts';
import { callbackPath } from './harness.ts';
import { consentApp, installApp, keyPair } from './jwt-apps.ts';
import { openKindsWorld, type KindsWorld } from './kinds-harness.ts';

const rsa = keyPair('rsa');
const otherRsa = keyPair('rsa');
const ec = keyPair('ec');
const appKey = keyPair('rsa');

/** One module run as the scenario runner runs it, through the connection core. */
async function runModule(w: KindsWorld, spec: ModuleSpec, connectionId: string, inputs: Record<string, unknown>) {
  const outbound = createOutbound({
    network: { allowPrivateNetwork: true, allowedHosts: [] },
    log: createLogger('silent'),
  });
  try {
    return await spec.run({
      teamId: w.teamId,
      inputs: { method: 'GET', ...inputs },
      connectionId,
      key: undefined,
      connections: w.connections.client,
      outbound,
      credentialsUsed: () => undefined,
      sleep: () => Promise.reject(new Error('this module is not asked to wait')),
      grant: undefined,
    });
  } finally {
    await outbound.close();
  }
}

describe('the JWT bearer peer, from RFC 7523 §3', () => {
  let server: JwtBearerServer;
  beforeAll(async () => {
    server = await startJwtBearerServer();
    server.register('svc@example.test', { key: rsa.publicKey, algorithm: 'RS256' });
  });
  afterAll(async () => {
    await server.close();
  });

  const post = (assertion: string) =>
    fetch(server.tokenEndpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion }),
    }).then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, string> }));
  const sign = (claims: { aud?: string }, now?: number, key = rsa.pem) =>
    signAssertion({
      claims: { iss: 'svc@example.test', ...claims },
      key: createPrivateKey(key),
      algorithm: 'RS256',
      lifetimeSeconds: 600,
      ...(now !== undefined ? { now } : {}),
    });

  it('accepts a fresh assertion for its token endpoint, and refuses an expired one, a wrong audience, a replay and a foreign key', async () => {
    const good = await sign({ aud: server.tokenEndpoint });
    expect((await post(good)).status).toBe(200);
    expect((await post(good)).body).toMatchObject({
      error: 'invalid_grant',
      error_description: 'the assertion was replayed',
    });
    const expired = await sign({ aud: server.tokenEndpoint }, Math.floor(Date.now() / 1000) - 3600);
    expect((await post(expired)).body).toMatchObject({
      error: 'invalid_grant',
      error_description: 'the assertion has expired',
    });
    const elsewhere = await sign({ aud: 'https://elsewhere.example/token' });
    expect((await post(elsewhere)).body.error_description).toBe('the audience is not this token endpoint');
    const foreign = await sign({ aud: server.tokenEndpoint }, undefined, otherRsa.pem);
    expect((await post(foreign)).body.error_description).toBe('the assertion does not verify');
  });
});

describe.each(dialects)('JWT connections on $name', ({ open }) => {
  let server: JwtBearerServer;
  let github: GitHubAppServer;
  let w: KindsWorld;

  beforeAll(async () => {
    server = await startJwtBearerServer();
    server.register('svc@example.test', { key: rsa.publicKey, algorithm: 'RS256', keyId: 'key-1' });
    server.register('ec@example.test', { key: ec.publicKey, algorithm: 'ES256' });
    server.register('integration-key-1', { key: rsa.publicKey, algorithm: 'RS256' });
    github = await startGitHubAppServer({ publicKey: appKey.publicKey, callbackUrl: `${PUBLIC_URL}/oauth/callback` });
  });
  afterAll(async () => {
    await Promise.all([server.close(), github.close()]);
  });
  beforeEach(async () => {
    w = await openKindsWorld(open, [consentApp(server), installApp(github)], {
      env: {
        HITCH_APP_HUBBISH_APP_SLUG: github.slug,
        HITCH_APP_HUBBISH_APP_CLIENT_ID: github.clientId,
        HITCH_APP_HUBBISH_APP_CLIENT_SECRET: github.clientSecret,
        HITCH_APP_HUBBISH_APP_PRIVATE_KEY: appKey.pem,
      },
    });
  });
  afterEach(async () => {
    await w.close();
  });

  const create = (payload: Record<string, unknown>) =>
    w.app.inject({ method: 'POST', url: '/api/v1/connections', headers: w.headers, payload });
  const count = async () => (await w.store.db.selectFrom('connections').select('id').execute()).length;
  const generic = (overrides: Record<string, unknown> = {}) => ({
    app: 'http',
    auth: 'jwt',
    scopes: [],
    parameters: {
      tokenUri: server.tokenEndpoint,
      issuer: 'svc@example.test',
      privateKey: rsa.pem,
      keyId: 'key-1',
      scopes: ['read', 'write'],
      baseUrl: `${server.origin}/api`,
      verifyUri: `${server.origin}/api/me`,
      ...overrides,
    },
  });
  /** The token expires now, as a controlled clock would have it, and nothing is cached. */
  const expire = async (id: string) => {
    const past = Date.now() - 1000;
    await w.store.db
      .updateTable('connections')
      .set({ expires_at: past, next_refresh_at: past })
      .where('id', '=', id)
      .execute();
    w.connections.credentials.cache.clear();
  };

  it('refuses a wrong audience, a key the service does not know and a key that is not PEM, saving nothing', async () => {
    const wrongAudience = await create(generic({ audience: 'https://elsewhere.example/token' }));
    expect(wrongAudience.statusCode).toBe(422);
    expect(wrongAudience.json().error).toMatchObject({ code: 'credentials_rejected' });
    expect(wrongAudience.json().error.message).toContain('the audience is not this token endpoint');

    const unknownKey = await create(generic({ privateKey: otherRsa.pem }));
    expect(unknownKey.statusCode).toBe(422);
    expect(unknownKey.json().error.message).toContain('the assertion does not verify');
    expect(unknownKey.body).not.toContain('PRIVATE KEY');

    const notPem = await create(generic({ privateKey: 'not a key at all' }));
    expect(notPem.statusCode).toBe(400);
    expect(notPem.json().error).toMatchObject({ code: 'validation_failed', field: 'parameters.privateKey' });
    expect(await count()).toBe(0);
  });

  it('goes create → verify → proxy and a module → renew once for 50 callers → delete, with the generic app', async () => {
    const created = await create(generic());
    expect(created.statusCode).toBe(201);
    const { connection, authorizeUrl } = created.json();
    expect(authorizeUrl).toBeNull();
    expect(connection).toMatchObject({ auth: 'jwt', status: 'active', account: { id: 'svc@example.test' } });
    expect(created.body).not.toContain('PRIVATE KEY');
    const first = server.grants.at(-1)!;
    expect(first).toMatchObject({ iss: 'svc@example.test', aud: server.tokenEndpoint, scope: 'read write' });

    const verify = await w.app.inject({
      method: 'POST',
      url: `/api/v1/connections/${connection.id}/verify`,
      headers: w.headers,
    });
    expect(verify.json()).toMatchObject({ verified: true });

    const proxied = await w.app.inject({
      method: 'GET',
      url: `/api/v1/connections/${connection.id}/proxy/things/1`,
      headers: w.bearer,
    });
    expect(proxied.statusCode).toBe(200);
    expect(proxied.json()).toEqual({ path: '/api/things/1', sub: 'svc@example.test' });
    const module = httpModules.find((m) => m.id === 'make-oauth2-request')!;
    const outcome = await runModule(w, module, connection.id, { url: '/module-call' });
    expect(outcome.error).toBeUndefined();
    expect(outcome.output).toMatchObject({ status: 200, body: { path: '/api/module-call', sub: 'svc@example.test' } });

    const grantsBefore = server.grants.length;
    await expire(connection.id);
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        w.app.inject({ method: 'GET', url: `/api/v1/connections/${connection.id}/proxy/n/${i}`, headers: w.bearer }),
      ),
    );
    expect(answers.map((a) => a.statusCode)).toEqual(Array.from({ length: 50 }, () => 200));
    expect(server.grants.length - grantsBefore).toBe(1);
    // Every assertion is new: its own jti, so a replay check at the service passes.
    expect(new Set(server.grants.map((g) => g.jti)).size).toBe(server.grants.length);
    const events = (
      await w.store.db.selectFrom('events').select('type').where('connection_id', '=', connection.id).execute()
    ).map((e) => e.type);
    expect(events).toContain('connection.refreshed');

    const deleted = await w.app.inject({
      method: 'DELETE',
      url: `/api/v1/connections/${connection.id}`,
      headers: w.headers,
    });
    expect(deleted.statusCode).toBe(204);
    expect(await count()).toBe(0);
  });

  it('signs with an EC key (ES256) as well', async () => {
    const created = await create(
      generic({ issuer: 'ec@example.test', privateKey: ec.pem, algorithm: 'ES256', keyId: '' }),
    );
    expect(created.statusCode).toBe(201);
    expect(created.json().connection.status).toBe('active');
  });

  it('turns a consent_required refusal into one sentence with the consent link, and accepts once consent is given', async () => {
    server.requireConsent('user-guid-1');
    const parameters = { integrationKey: 'integration-key-1', userId: 'user-guid-1', privateKey: rsa.pem };
    const refused = await create({ app: 'signish', parameters });
    expect(refused.statusCode).toBe(422);
    const consentUrl = `${server.origin}/oauth/auth?response_type=code&scope=signature%20impersonation&client_id=integration-key-1`;
    expect(refused.json().error).toMatchObject({ code: 'consent_required', consentUrl });
    expect(refused.json().error.message).toBe(
      `The service needs a one-time consent before it accepts this connection: open ${consentUrl} as the account the connection acts for (or its administrator), approve, then try again.`,
    );
    expect(await count()).toBe(0);

    server.consent('user-guid-1');
    const created = await create({ app: 'signish', parameters });
    expect(created.statusCode).toBe(201);
    const { connection } = created.json();
    expect(connection.account).toMatchObject({ id: 'user-guid-1', label: 'user-guid-1@example.test' });
    expect(server.grants.at(-1)).toMatchObject({ sub: 'user-guid-1', scope: 'signature impersonation' });

    // The consent is withdrawn: the next renewal asks a person to give it again, with the link.
    server.requireConsent('user-guid-1');
    await expire(connection.id);
    const call = await w.app.inject({
      method: 'GET',
      url: `/api/v1/connections/${connection.id}/proxy/x`,
      headers: w.bearer,
    });
    expect(call.statusCode).toBe(424);
    const shown = (
      await w.app.inject({ method: 'GET', url: `/api/v1/connections/${connection.id}`, headers: w.headers })
    ).json();
    expect(shown.status).toBe('reauthorization_required');
    expect(shown.lastError.message).toContain(consentUrl);
  });

  it('installs a GitHub App: install page → callback → installation token, renewed once for 50 callers, revoked at delete', async () => {
    const created = await create({ app: 'hubbish' });
    expect(created.statusCode).toBe(201);
    const { connection, authorizeUrl } = created.json();
    expect(connection.status).toBe('pending');
    expect(authorizeUrl).toMatch(new RegExp(`^${github.origin}/apps/${github.slug}/installations/new\\?state=`));

    const installed = await fetch(authorizeUrl, { redirect: 'manual' });
    const callbackUrl = installed.headers.get('location')!;
    const page = await w.app.inject({
      method: 'GET',
      url: callbackPath(callbackUrl),
      headers: { cookie: w.cookie, host: new URL(PUBLIC_URL).host },
    });
    expect(page.body).toContain('The connection is established.');
    const shown = (
      await w.app.inject({ method: 'GET', url: `/api/v1/connections/${connection.id}`, headers: w.headers })
    ).json();
    expect(shown).toMatchObject({ status: 'active', auth: 'jwt', account: { id: '101', label: 'octo-ann' } });
    expect(github.counts).toMatchObject({ userTokens: 1, accessTokens: 1, refusedJwts: 0 });
    // The app JWT as GitHub asks: RS256, `iss` the client ID, `iat` a minute back, at most ten minutes.
    const jwt = github.appJwts.at(-1)!;
    expect(jwt.header).toEqual({ alg: 'RS256', typ: 'JWT' });
    expect(jwt.claims.iss).toBe(github.clientId);
    expect(jwt.receivedAt / 1000 - jwt.claims.iat!).toBeGreaterThanOrEqual(59);
    expect(jwt.claims.exp! - jwt.claims.iat!).toBeLessThanOrEqual(600);

    const proxied = await w.app.inject({
      method: 'GET',
      url: `/api/v1/connections/${connection.id}/proxy/repos/octo-ann/hello`,
      headers: w.bearer,
    });
    expect(proxied.json()).toEqual({ path: '/repos/octo-ann/hello', installation: 5001 });
    const outcome = await runModule(w, catalogModules(w.catalog.require('hubbish')).at(-1)!, connection.id, {
      url: '/repos/x/y',
    });
    expect(outcome.output).toMatchObject({ status: 200, body: { path: '/repos/x/y', installation: 5001 } });

    await expire(connection.id);
    const answers = await Promise.all(
      Array.from({ length: 50 }, () =>
        w.app.inject({
          method: 'GET',
          url: `/api/v1/connections/${connection.id}/proxy/installation/repositories`,
          headers: w.bearer,
        }),
      ),
    );
    expect(answers.every((a) => a.statusCode === 200)).toBe(true);
    expect(github.counts.accessTokens).toBe(2);
    // The token in use is the renewed one, for the installation the install named.
    const credentials = await w.connections.credentials.get(connection.id);
    const token = (credentials.placed[0] as PlacedValue).value.replace(/^Bearer /, '');
    expect(github.issued.get(token)).toBe(5001);

    const deleted = await w.app.inject({
      method: 'DELETE',
      url: `/api/v1/connections/${connection.id}`,
      headers: w.headers,
    });
    expect(deleted.statusCode).toBe(204);
    expect(github.counts.revoked).toBe(1);
  });

  it('refuses an install whose installation_id was changed to another account’s, issuing no installation token', async () => {
    const { connection, authorizeUrl } = (await create({ app: 'hubbish' })).json();
    const installed = await fetch(authorizeUrl, { redirect: 'manual' });
    const forged = new URL(installed.headers.get('location')!);
    forged.searchParams.set('installation_id', '7007');
    const before = github.counts.accessTokens;
    const page = await w.app.inject({
      method: 'GET',
      url: callbackPath(forged.toString()),
      headers: { cookie: w.cookie, host: new URL(PUBLIC_URL).host },
    });
    expect(page.body).not.toContain('The connection is established.');
    expect(page.body).toContain('installation_not_yours');
    expect(github.counts.accessTokens).toBe(before);
    const shown = (
      await w.app.inject({ method: 'GET', url: `/api/v1/connections/${connection.id}`, headers: w.headers })
    ).json();
    expect(shown.status).toBe('pending');
  });
});
