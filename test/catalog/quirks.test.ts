import type { PlacedValue } from '../../src/outbound/types.ts';
/**
 * Each quirk a catalog app can declare, exercised end to end: an app pointed
 * through HITCH_APPS_DIR at a local server that behaves like the service
 * (oidc-provider where it can, test/peers/quirky-oauth-server.ts where it cannot).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { AppInput } from '../../src/catalog/schema.ts';
import { startOAuthServer, type OAuthServer } from '../peers/oauth-server.ts';
import { startQuirkyOAuthServer, type QuirkyOptions, type QuirkyServer } from '../peers/quirky-oauth-server.ts';
import { callbackPath, openCatalogWorld, REDIRECT_URI, type CatalogWorld } from './world.ts';
import { placedValue } from '../helpers/placed.ts';

const scopes = [
  { name: 'channels:read', description: 'See channels' },
  { name: 'chat:write', description: 'Post messages' },
];

function quirkyApp(
  server: QuirkyServer,
  kind: Record<string, unknown> = {},
  host = `127.0.0.1:${server.port}`,
): AppInput {
  return {
    id: 'quirky',
    name: 'Quirky',
    docsUrl: 'https://quirky.example/docs',
    scopes,
    modules: [
      {
        id: 'post',
        name: 'Post a message',
        scopes: ['chat:write'],
        request: { method: 'POST', url: '/api/chat.postMessage' },
      },
    ],
    connections: [
      {
        type: 'oauth2',
        authorizeUrl: `http://${host}/oauth/authorize`,
        tokenUrl: `http://${host}/oauth/token`,
        baseUrl: `http://${host}`,
        verify: { url: '/api/me', accountId: ['id'], accountLabel: ['email'] },
        ...kind,
      },
    ],
  };
}

const clientEnv = (server: { clientId: string; clientSecret: string }) => ({
  HITCH_APP_QUIRKY_CLIENT_ID: server.clientId,
  HITCH_APP_QUIRKY_CLIENT_SECRET: server.clientSecret,
});

describe('OAuth quirks against a server that has them', () => {
  let w: CatalogWorld | undefined;
  let server: QuirkyServer | undefined;
  afterEach(async () => {
    await w?.close();
    await server?.close();
    w = undefined;
    server = undefined;
  });

  async function world(
    options: Omit<QuirkyOptions, 'redirectUri'>,
    kind: Record<string, unknown> | ((s: QuirkyServer) => Record<string, unknown>),
    host?: (s: QuirkyServer) => string,
  ) {
    server = await startQuirkyOAuthServer({ redirectUri: REDIRECT_URI, ...options });
    const fields = typeof kind === 'function' ? kind(server) : kind;
    w = await openCatalogWorld({ apps: [quirkyApp(server, fields, host?.(server))], env: clientEnv(server) });
    return { w, server };
  }

  async function connect(body: Record<string, unknown> = {}) {
    const created = await w!.app.inject({
      method: 'POST',
      url: '/api/v1/connections',
      headers: w!.headers,
      payload: { app: 'quirky', ...body },
    });
    expect(created.statusCode, created.body).toBe(201);
    const { connection, authorizeUrl } = created.json();
    const callbackUrl = await server!.authorize(authorizeUrl);
    const callback = await w!.app.inject({ method: 'GET', url: callbackPath(callbackUrl), headers: w!.pageHeaders });
    expect(callback.statusCode, callback.body).toBe(200);
    const shown = await w!.app.inject({
      method: 'GET',
      url: `/api/v1/connections/${connection.id}`,
      headers: w!.headers,
    });
    return { id: connection.id as string, authorizeUrl: new URL(authorizeUrl), connection: shown.json() };
  }

  it('reads a token set nested in the answer (Slack’s authed_user) and splits comma-separated scopes', async () => {
    await world(
      { tokenPath: 'authed_user', scopeSeparator: ',' },
      { tokenPath: 'authed_user', scopeSeparator: ',', keepFromTokenResponse: [] },
    );
    const { id, authorizeUrl, connection } = await connect({ scopes: ['channels:read', 'chat:write'] });
    expect(authorizeUrl.searchParams.get('scope')).toBe('channels:read,chat:write');
    expect(connection).toMatchObject({ status: 'active', account: { id: 'U1', label: 'quirky@example.com' } });
    expect(connection.scopes.sort()).toEqual(['channels:read', 'chat:write']);
    // The token used is the nested one, sent as a Bearer token although the service calls it "user".
    const me = server!.apiRequests.find((r) => r.path === '/api/me')!;
    expect(me.headers.authorization).toBe(`Bearer ${server!.accessTokens[0]}`);
    const call = await w!.connections.client.request(id, { method: 'POST', url: '/api/chat.postMessage' });
    expect(call.status).toBe(200);
  });

  it('renews a nested token set too', async () => {
    await world({ tokenPath: 'authed_user', expiresInSeconds: 1 }, { tokenPath: 'authed_user' });
    const { id } = await connect();
    await new Promise((r) => setTimeout(r, 1200));
    w!.connections.credentials.cache.clear();
    const credentials = await w!.connections.credentials.get(id);
    expect(server!.tokenRequests.map((r) => r.body.get('grant_type'))).toEqual(['authorization_code', 'refresh_token']);
    expect(placedValue(credentials.placed)).toBe(`Bearer ${server!.accessTokens[1]}`);
  });

  it('treats a token without expires_in as never expiring, unless the app gives a default lifetime', async () => {
    await world({ expiresInSeconds: null }, {});
    const { id, connection } = await connect();
    expect(connection.expiresAt).toBeNull();
    w!.connections.credentials.cache.clear();
    await w!.connections.credentials.get(id);
    expect(await w!.connections.sweep()).toEqual({ renewed: 0, failed: 0 });
    expect(server!.tokenRequests).toHaveLength(1);
    await w!.close();
    await server!.close();

    await world({ expiresInSeconds: null }, { defaultExpiresInSeconds: 600 });
    const before = Date.now();
    const second = await connect();
    const expiresAt = Date.parse(second.connection.expiresAt);
    expect(expiresAt).toBeGreaterThanOrEqual(before + 600_000 - 1000);
    expect(expiresAt).toBeLessThanOrEqual(Date.now() + 600_000);
  });

  it('authenticates the client with HTTP Basic, form-encoding id and secret', async () => {
    await world({ clientAuth: 'client_secret_basic' }, { clientAuth: 'client_secret_basic' });
    const { connection } = await connect();
    expect(connection.status).toBe('active');
    const [exchange] = server!.tokenRequests;
    expect(exchange!.headers.authorization).toMatch(/^Basic /);
    expect(exchange!.body.get('client_secret')).toBeNull();
  });

  it('places the token in the query string when the app says so', async () => {
    await world({ tokenIn: 'query' }, { placement: { in: 'query', queryName: 'access_token' } });
    const { id, connection } = await connect();
    expect(connection.account).toEqual({ id: 'U1', label: 'quirky@example.com' });
    const call = await w!.connections.client.request(id, { method: 'POST', url: '/api/chat.postMessage' });
    expect(call.status).toBe(200);
    for (const request of server!.apiRequests) {
      expect(request.query.get('access_token')).toBe(server!.accessTokens[0]);
      expect(request.headers.authorization).toBeUndefined();
    }
  });

  it('uses a subdomain parameter in the host, and refuses a value off its pattern before any redirect', async () => {
    const shopHost = (s: QuirkyServer) => `{{shop}}.localhost:${s.port}`;
    await world(
      {},
      { parameters: [{ name: 'shop', label: 'Shop', required: true, pattern: '[a-z0-9][a-z0-9-]{0,59}' }] },
      shopHost,
    );

    for (const bad of ['evil.example#', 'x.evil.example', 'UPPER', '']) {
      const res = await w!.app.inject({
        method: 'POST',
        url: '/api/v1/connections',
        headers: w!.headers,
        payload: { app: 'quirky', parameters: { shop: bad } },
      });
      expect(res.statusCode).toBe(400);
      expect(res.json().error).toMatchObject({ code: 'validation_failed', field: 'parameters.shop' });
    }
    const list = await w!.app.inject({ method: 'GET', url: '/api/v1/connections', headers: w!.headers });
    expect(list.json().items).toEqual([]);
    expect(server!.authorizeRequests).toHaveLength(0);

    const { id, authorizeUrl } = await connect({ parameters: { shop: 'acme-store' } });
    expect(authorizeUrl.host).toBe(`acme-store.localhost:${server!.port}`);
    expect(server!.tokenRequests[0]!.host).toBe(`acme-store.localhost:${server!.port}`);
    const call = await w!.connections.client.request(id, { method: 'POST', url: '/api/chat.postMessage' });
    expect(call.json()).toMatchObject({ host: `acme-store.localhost:${server!.port}` });
  });
  it('spends refresh tokens at a refresh endpoint of their own (Figma) and binds them to the issuing token URL', async () => {
    await world({ refreshPath: '/oauth/refresh' }, (s) => ({ refreshUrl: `${s.origin}/oauth/refresh` }));
    const { id } = await connect();
    const before = await w!.connections.credentials.get(id);
    const renewed = await w!.connections.credentials.get(id, { staleVersion: before.version });
    expect(server!.tokenRequests.map((r) => [r.path, r.body.get('grant_type')])).toEqual([
      ['/oauth/token', 'authorization_code'],
      ['/oauth/refresh', 'refresh_token'],
    ]);
    expect((renewed.placed[0] as PlacedValue).value).toBe(`Bearer ${server!.accessTokens[1]}`);
  });

  it('sends token and refresh requests as JSON when the app says so', async () => {
    await world({ tokenBody: 'json' }, { tokenRequestBody: 'json' });
    const { id, connection } = await connect();
    expect(connection.status).toBe('active');
    const before = await w!.connections.credentials.get(id);
    await w!.connections.credentials.get(id, { staleVersion: before.version });
    expect(server!.tokenRequests.map((r) => [r.headers['content-type'], r.body.get('grant_type')])).toEqual([
      ['application/json', 'authorization_code'],
      ['application/json', 'refresh_token'],
    ]);
    // The client secret went in the JSON body (client_secret_post), as the form would have carried it.
    expect(server!.tokenRequests[0]!.body.get('client_secret')).toBe(server!.clientSecret);
  });

  it('revokes with a JSON body too (Notion’s /v1/oauth/revoke) when the connection is deleted', async () => {
    await world({ tokenBody: 'json' }, (s) => ({ tokenRequestBody: 'json', revokeUrl: `${s.origin}/oauth/revoke` }));
    const { id } = await connect();
    const deleted = await w!.app.inject({ method: 'DELETE', url: `/api/v1/connections/${id}`, headers: w!.headers });
    expect(deleted.statusCode, deleted.body).toBe(204);
    expect(server!.revokeRequests).toHaveLength(1);
    const revoke = server!.revokeRequests[0]!;
    expect(revoke.headers['content-type']).toBe('application/json');
    expect(revoke.body.get('token')).toMatch(/^rt-/);
  });

  it('asks for expiring tokens with a token parameter (Shopify’s expiring=1)', async () => {
    await world({ expiringWith: { name: 'expiring', value: '1' } }, { tokenParameters: { expiring: '1' } });
    const { connection } = await connect();
    expect(server!.tokenRequests[0]!.body.get('expiring')).toBe('1');
    expect(Date.parse(connection.expiresAt)).toBeGreaterThan(Date.now());
  });

  it('fails the authorization, leaving the connection pending, when the token endpoint wants another body encoding', async () => {
    await world({ tokenBody: 'json' }, {});
    const created = await w!.app.inject({
      method: 'POST',
      url: '/api/v1/connections',
      headers: w!.headers,
      payload: { app: 'quirky' },
    });
    const callbackUrl = await server!.authorize(created.json().authorizeUrl);
    const callback = await w!.app.inject({ method: 'GET', url: callbackPath(callbackUrl), headers: w!.pageHeaders });
    expect(callback.statusCode).toBeGreaterThanOrEqual(400);
    const shown = await w!.app.inject({
      method: 'GET',
      url: `/api/v1/connections/${created.json().connection.id}`,
      headers: w!.headers,
    });
    expect(shown.json().status).toBe('pending');
  });

  it.each([
    [
      'an absolute expires_at in Unix seconds (Strava)',
      'expires_at_unix',
      { member: 'expires_at', unit: 'unix_seconds' },
    ],
    ['an absolute expires_at as an ISO 8601 date', 'expires_at_iso', { member: 'expires_at', unit: 'iso8601' }],
    ['expires_in in milliseconds', 'expires_in_ms', { member: 'expires_in', unit: 'milliseconds' }],
  ] as const)('reads the lifetime from %s', async (_name, lifetimeAs, tokenExpiry) => {
    await world({ lifetimeAs, expiresInSeconds: 7200 }, { tokenExpiry });
    const before = Date.now();
    const { connection } = await connect();
    const expiresAt = Date.parse(connection.expiresAt);
    expect(expiresAt).toBeGreaterThanOrEqual(before + 7_200_000 - 2000);
    expect(expiresAt).toBeLessThanOrEqual(Date.now() + 7_200_000);
  });

  it('without tokenExpiry, a lifetime in milliseconds would be read as seconds (why the field exists)', async () => {
    await world({ lifetimeAs: 'expires_in_ms', expiresInSeconds: 7200 }, {});
    const { connection } = await connect();
    expect(Date.parse(connection.expiresAt)).toBeGreaterThan(Date.now() + 7_200_000 * 100);
  });

  it('joins scopes with + (Unsplash) and splits a +-separated grant', async () => {
    await world({ scopeSeparator: '+' }, { scopeSeparator: '+' });
    const { authorizeUrl, connection } = await connect({ scopes: ['channels:read', 'chat:write'] });
    expect(authorizeUrl.search).toContain('scope=channels%3Aread+chat%3Awrite');
    expect(server!.authorizeRequests[0]!.rawQuery).toContain('scope=channels%3Aread+chat%3Awrite');
    expect(connection.scopes.sort()).toEqual(['channels:read', 'chat:write']);
  });

  it('reads the code from the parameter the service names (Amazon’s spapi_oauth_code)', async () => {
    await world({ codeParameter: 'spapi_oauth_code' }, { codeParameter: 'spapi_oauth_code' });
    const { connection } = await connect();
    expect(connection).toMatchObject({ status: 'active', account: { id: 'U1' } });
    const [exchange] = server!.tokenRequests;
    expect(exchange!.body.get('code')).toMatch(/^[0-9a-f]{32}$/);
  });
});

describe('values kept from the token response and the callback, used in the base URL', () => {
  let w: CatalogWorld | undefined;
  let idp: OAuthServer | undefined;
  let api: ReturnType<typeof createServer> | undefined;
  afterEach(async () => {
    await w?.close();
    await idp?.close();
    api?.closeAllConnections();
    await new Promise((r) => (api ? api.close(r) : r(undefined)));
  });

  it('keeps instance_url (Salesforce) and realmId (QuickBooks) and sends requests below them', async () => {
    const seen: Array<{ path: string; authorization: string | undefined }> = [];
    api = createServer((req, res) => {
      seen.push({ path: req.url ?? '', authorization: req.headers.authorization });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
    await new Promise<void>((r) => api!.listen(0, '127.0.0.1', r));
    const instanceUrl = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
    idp = await startOAuthServer({
      redirectUris: [REDIRECT_URI],
      extraTokenResponseFields: { instance_url: instanceUrl },
      extraCallbackParameters: { realmId: '9130357' },
    });
    const client = idp.client('client_secret_basic');
    const app: AppInput = {
      id: 'quirky',
      name: 'Quirky',
      docsUrl: 'https://quirky.example/docs',
      scopes: [{ name: 'read', description: 'Read your data' }],
      connections: [
        {
          type: 'oauth2',
          authorizeUrl: idp.authorizationEndpoint,
          tokenUrl: idp.tokenEndpoint,
          issuer: idp.issuer,
          clientAuth: 'client_secret_basic',
          baseScopes: ['openid', 'email'],
          keepFromTokenResponse: ['instance_url'],
          keepFromCallback: ['realmId'],
          baseUrl: '{{instance_url}}/v3/company/{{realmId}}',
          verify: { url: idp.userinfoEndpoint, accountId: ['sub'], accountLabel: ['email'] },
        },
      ],
    };
    w = await openCatalogWorld({ apps: [app], env: clientEnv(client) });
    const created = await w.app.inject({
      method: 'POST',
      url: '/api/v1/connections',
      headers: w.headers,
      payload: { app: 'quirky', scopes: ['read'] },
    });
    const { callbackUrl } = await idp.authorize(created.json().authorizeUrl, {
      login: 'alice@example.com',
      consent: true,
    });
    const callback = await w.app.inject({ method: 'GET', url: callbackPath(callbackUrl), headers: w.pageHeaders });
    expect(callback.statusCode, callback.body).toBe(200);
    const id = created.json().connection.id as string;

    const shown = (await w.app.inject({ method: 'GET', url: `/api/v1/connections/${id}`, headers: w.headers })).json();
    expect(shown).toMatchObject({ status: 'active', account: { label: 'alice@example.com' } });
    expect(idp.tokenRequests[0]!.clientId).toBe(client.clientId);

    const call = await w.connections.client.request(id, { method: 'GET', url: '/companyinfo/9130357' });
    expect(call.status).toBe(200);
    expect(seen).toEqual([
      { path: '/v3/company/9130357/companyinfo/9130357', authorization: `Bearer ${idp.issued.accessTokens[0]}` },
    ]);
  });
});
