/**
 * A service's end of tokens that never expire (the catalog's `nonExpiringTokens`), applied to
 * connections made before it, against a local server that behaves like Shopify (a code exchange
 * without `expiring=1` gives a token that never expires; RFC 8693's token exchange swaps one for an
 * expiring token) and like Zendesk (no exchange at all), on SQLite and PostgreSQL.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { AppInput } from '../../src/catalog/schema.ts';
import { dialects } from '../helpers/store.ts';
import { maybe } from '../helpers/maybe.ts';
import { startQuirkyOAuthServer, type QuirkyOptions, type QuirkyServer } from '../peers/quirky-oauth-server.ts';
import { callbackPath, openCatalogWorld, REDIRECT_URI, type CatalogWorld } from '../catalog/world.ts';

const OFFLINE = 'urn:shopify:params:oauth:token-type:offline-access-token';
const ENDS_ON = '2027-01-01';
const DEADLINE = Date.parse(`${ENDS_ON}T00:00:00Z`);

function app(server: QuirkyServer, rule: Record<string, unknown>): AppInput {
  const host = `127.0.0.1:${server.port}`;
  return {
    id: 'quirky',
    name: 'Quirky',
    scopes: [{ name: 'chat:write', description: 'Post messages' }],
    modules: [],
    connections: [
      {
        type: 'oauth2',
        authorizeUrl: `http://${host}/oauth/authorize`,
        tokenUrl: `http://${host}/oauth/token`,
        baseUrl: `http://${host}`,
        verify: { url: '/api/me', accountId: ['id'], accountLabel: ['email'] },
        nonExpiringTokens: { endsOn: ENDS_ON, docsUrl: 'https://quirky.example/docs/expiring', ...rule },
      },
    ],
  };
}

describe.each(dialects)('connections whose tokens never expire, when the service ends them ($name)', ({ open }) => {
  let w: CatalogWorld | undefined;
  let server: QuirkyServer | undefined;
  afterEach(async () => {
    await maybe(w)?.close();
    await maybe(server)?.close();
    w = undefined;
    server = undefined;
  });

  async function world(options: Omit<QuirkyOptions, 'redirectUri'>, rule: Record<string, unknown>) {
    server = await startQuirkyOAuthServer({
      redirectUri: REDIRECT_URI,
      expiringWith: { name: 'expiring', value: '1' },
      ...options,
    });
    w = await openCatalogWorld({
      apps: [app(server, rule)],
      env: { HITCH_APP_QUIRKY_CLIENT_ID: server.clientId, HITCH_APP_QUIRKY_CLIENT_SECRET: server.clientSecret },
      open,
    });
    return w;
  }

  /** A connection as it was made before the app asked for expiring tokens: one that never expires. */
  async function oldConnection(): Promise<string> {
    const created = await w!.app.inject({
      method: 'POST',
      url: '/api/v1/connections',
      headers: w!.headers,
      payload: { app: 'quirky' },
    });
    expect(created.statusCode, created.body).toBe(201);
    const { connection, authorizeUrl } = created.json();
    const callbackUrl = await server!.authorize(authorizeUrl);
    const callback = await w!.app.inject({ method: 'GET', url: callbackPath(callbackUrl), headers: w!.pageHeaders });
    expect(callback.statusCode, callback.body).toBe(200);
    expect((await shown(connection.id)).expiresAt).toBeNull();
    return connection.id as string;
  }

  async function shown(id: string) {
    const res = await w!.app.inject({ method: 'GET', url: `/api/v1/connections/${id}`, headers: w!.headers });
    return res.json();
  }

  async function notifications() {
    const res = await w!.app.inject({ method: 'GET', url: '/api/v1/notifications', headers: w!.headers });
    return res.json<{ items: Array<{ kind: string; connectionId: string; message: string; renewBy: string }> }>().items;
  }

  async function events(id: string, type: string) {
    const res = await w!.app.inject({
      method: 'GET',
      url: `/api/v1/events?connectionId=${id}&type=${type}`,
      headers: w!.headers,
    });
    return res.json<{ items: unknown[] }>().items;
  }

  it('moves a connection over by the service’s token exchange, exactly once', async () => {
    await world(
      { tokenExchange: { subjectTokenType: OFFLINE } },
      { exchange: { subjectTokenType: OFFLINE, requestedTokenType: OFFLINE, parameters: { expiring: '1' } } },
    );
    const id = await oldConnection();
    const oldToken = server!.accessTokens[0]!;

    expect(await w!.connections.applyNonExpiringRules()).toEqual({ exchanged: 1, deadlines: 0 });
    const exchange = server!.tokenRequests.at(-1)!;
    expect(exchange.body.get('grant_type')).toBe('urn:ietf:params:oauth:grant-type:token-exchange');
    expect(exchange.body.get('subject_token')).toBe(oldToken);
    expect(exchange.body.get('subject_token_type')).toBe(OFFLINE);
    expect(exchange.body.get('expiring')).toBe('1');

    const after = await shown(id);
    expect(after).toMatchObject({ status: 'active', renewBy: null });
    expect(Date.parse(after.expiresAt)).toBeGreaterThan(Date.now());
    // The connection works with the new token (the old one is spent at the service).
    const call = await w!.connections.client.request(id, { method: 'GET', url: '/api/me' });
    expect(call.status).toBe(200);
    expect(server!.apiRequests.at(-1)!.headers.authorization).toBe(`Bearer ${server!.accessTokens[1]}`);

    // Exactly once: the connection now expires, so it is no longer a candidate.
    expect(await w!.connections.applyNonExpiringRules()).toEqual({ exchanged: 0, deadlines: 0 });
    expect(server!.tokenRequests).toHaveLength(2);
    expect(await notifications()).toEqual([]);
  });

  it('when the exchange is refused, keeps the working token and gives the deadline and one notice', async () => {
    await world(
      { tokenExchange: { subjectTokenType: OFFLINE, refuse: true } },
      { exchange: { subjectTokenType: OFFLINE, requestedTokenType: OFFLINE, parameters: { expiring: '1' } } },
    );
    const id = await oldConnection();

    expect(await w!.connections.applyNonExpiringRules()).toEqual({ exchanged: 0, deadlines: 1 });
    expect(await shown(id)).toMatchObject({
      status: 'active',
      expiresAt: null,
      renewBy: new Date(DEADLINE).toISOString(),
    });
    w!.connections.credentials.cache.clear();
    const call = await w!.connections.client.request(id, { method: 'GET', url: '/api/me' });
    expect(call.status).toBe(200);
    expect(server!.apiRequests.at(-1)!.headers.authorization).toBe(`Bearer ${server!.accessTokens[0]}`);

    expect(await w!.connections.applyNonExpiringRules()).toEqual({ exchanged: 0, deadlines: 0 });
    expect(server!.tokenRequests).toHaveLength(2);
  });

  it('without an exchange (Zendesk), sets renewBy to the deadline and tells people at once, exactly once', async () => {
    await world({}, {});
    const id = await oldConnection();

    expect(await w!.connections.applyNonExpiringRules()).toEqual({ exchanged: 0, deadlines: 1 });
    expect(await w!.connections.applyNonExpiringRules()).toEqual({ exchanged: 0, deadlines: 0 });
    expect(await shown(id)).toMatchObject({
      status: 'active',
      expiresAt: null,
      renewBy: new Date(DEADLINE).toISOString(),
    });

    // A month before the deadline, past HITCH_RENEW_BY_WARNING_DAYS' week: told now all the same.
    const items = await notifications();
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ kind: 'renew_by', connectionId: id, renewBy: new Date(DEADLINE).toISOString() });
    expect(items[0]!.message).toContain('must be reauthorized by 2027-01-01');
    expect(items[0]!.message).toContain('stops accepting tokens that never expire');

    expect(await w!.connections.notifications.sweep()).toMatchObject({ opened: 1 });
    expect(await w!.connections.notifications.sweep()).toMatchObject({ opened: 0 });
    expect(await events(id, 'connection.renew_by_warning')).toHaveLength(1);

    // The connection still works; nothing about its token changed.
    const call = await w!.connections.client.request(id, { method: 'GET', url: '/api/me' });
    expect(call.status).toBe(200);
    expect(server!.tokenRequests).toHaveLength(1);
  });

  it('leaves pending connections alone', async () => {
    await world({}, { exchange: { subjectTokenType: OFFLINE, parameters: { expiring: '1' } } });
    const created = await w!.app.inject({
      method: 'POST',
      url: '/api/v1/connections',
      headers: w!.headers,
      payload: { app: 'quirky' },
    });
    const { connection } = created.json();
    // A pending connection has nothing to move.
    expect(await w!.connections.applyNonExpiringRules()).toEqual({ exchanged: 0, deadlines: 0 });
    expect((await shown(connection.id)).status).toBe('pending');
    expect(server!.tokenRequests).toHaveLength(0);
  });
});
