/**
 * The `longLivedToken` quirk end to end, with the built-in Instagram app file pointed at a local
 * server that behaves as Meta documents Instagram API with Instagram Login: the code buys a token
 * for one hour, which is exchanged at once for one of 60 days; that token, there being no refresh
 * token, is itself refreshed before it ends, once it is at least 24 hours old. Threads works the same
 * way; Facebook Login has the exchange but no refresh.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AppInput } from '../../src/catalog/schema.ts';
import { createLogger } from '../../src/log.ts';
import { placedValue } from '../helpers/placed.ts';
import { startMetaLoginServer, type MetaFlavor, type MetaLoginServer } from '../peers/meta-login-server.ts';
import { callbackPath, openCatalogWorld, REDIRECT_URI, type CatalogWorld } from './world.ts';

const DAY_MS = 24 * 3_600_000;
const META_HOSTS = {
  instagram: ['https://www.instagram.com', 'https://api.instagram.com', 'https://graph.instagram.com'],
  threads: ['https://threads.com', 'https://graph.threads.net'],
  'facebook-pages': ['https://www.facebook.com', 'https://graph.facebook.com'],
};
const FLAVOR: Record<keyof typeof META_HOSTS, MetaFlavor> = {
  instagram: 'instagram',
  threads: 'threads',
  'facebook-pages': 'facebook',
};

/** The app file as shipped, with Meta's hosts replaced by the local server. */
function shippedAppAt(id: keyof typeof META_HOSTS, origin: string): AppInput {
  let text = fs.readFileSync(path.join(import.meta.dirname, `../../apps/${id}.json`), 'utf8');
  for (const host of META_HOSTS[id]) text = text.replaceAll(`"${host}`, `"${origin}`);
  const app = JSON.parse(text) as AppInput & { $schema?: string };
  delete app.$schema;
  return app;
}

describe('long-lived tokens instead of refresh tokens (Instagram API with Instagram Login)', () => {
  let w: CatalogWorld | undefined;
  let meta: MetaLoginServer | undefined;
  /** Every log line Hitch wrote, debug ones (each outbound request's URL) included. */
  let logLines: string[] = [];
  afterEach(async () => {
    await w?.close();
    await meta?.close();
    w = undefined;
    meta = undefined;
  });

  async function connect(
    app: keyof typeof META_HOSTS = 'instagram',
    scopes = ['instagram_business_basic', 'instagram_business_manage_insights'],
  ) {
    meta = await startMetaLoginServer({ redirectUri: REDIRECT_URI, flavor: FLAVOR[app] });
    const ID = app.toUpperCase().replaceAll('-', '_');
    logLines = [];
    w = await openCatalogWorld({
      log: createLogger('debug', { write: (line: string) => void logLines.push(line) }),
      apps: [shippedAppAt(app, meta.origin)],
      env: { [`HITCH_APP_${ID}_CLIENT_ID`]: meta.clientId, [`HITCH_APP_${ID}_CLIENT_SECRET`]: meta.clientSecret },
    });
    const created = await w.app.inject({
      method: 'POST',
      url: '/api/v1/connections',
      headers: w.headers,
      payload: { app, scopes },
    });
    expect(created.statusCode, created.body).toBe(201);
    const { connection, authorizeUrl } = created.json();
    const callbackUrl = await meta.authorize(authorizeUrl);
    const callback = await w.app.inject({ method: 'GET', url: callbackPath(callbackUrl), headers: w.pageHeaders });
    expect(callback.statusCode, callback.body).toBe(200);
    const id = connection.id as string;
    const shown = async () =>
      (await w!.app.inject({ method: 'GET', url: `/api/v1/connections/${id}`, headers: w!.headers })).json();
    return { id, authorizeUrl: new URL(authorizeUrl), shown };
  }

  /** The connection's renewal falls due now, and the service's clock says the token is `ageMs` old. */
  async function dueAfter(id: string, ageMs: number) {
    meta!.advance(ageMs);
    await w!.store.db
      .updateTable('connections')
      .set({ next_refresh_at: Date.now() - 1 })
      .where('id', '=', id)
      .execute();
    w!.connections.credentials.cache.clear();
  }

  it('exchanges the one-hour token for a 60-day one at once, and works with that one only', async () => {
    const before = Date.now();
    const { id, authorizeUrl, shown } = await connect();
    expect(authorizeUrl.searchParams.get('scope')).toBe('instagram_business_basic,instagram_business_manage_insights');

    // The code at the token endpoint, then a GET that trades the short-lived token, client secret in the query.
    expect(
      meta!.tokenRequests.map((r) => [r.method, r.path, r.body.get('grant_type') ?? r.query.get('grant_type')]),
    ).toEqual([
      ['POST', '/oauth/access_token', 'authorization_code'],
      ['GET', '/access_token', 'ig_exchange_token'],
    ]);
    const exchange = meta!.tokenRequests[1]!;
    expect(exchange.query.get('access_token')).toBe(meta!.shortLivedTokens[0]);
    expect(exchange.query.get('client_secret')).toBe(meta!.clientSecret);

    const connection = await shown();
    expect(connection).toMatchObject({ status: 'active', account: { id: meta!.userId, label: meta!.username } });
    // 60 days, not the hour the code's token had (whose answer said no lifetime at all).
    const expiresAt = Date.parse(connection.expiresAt);
    expect(expiresAt).toBeGreaterThanOrEqual(before + 60 * DAY_MS - 1000);
    expect(expiresAt).toBeLessThanOrEqual(Date.now() + 60 * DAY_MS);
    const shownText = JSON.stringify(connection);
    for (const secret of [...meta!.shortLivedTokens, ...meta!.longLivedTokens, meta!.clientSecret])
      expect(shownText).not.toContain(secret);

    // Every request is logged, none with a token or the client secret in it.
    const logged = logLines.join('\n');
    expect(logged).toContain('/access_token?grant_type=ig_exchange_token');
    for (const secret of [...meta!.shortLivedTokens, ...meta!.longLivedTokens, meta!.clientSecret])
      expect(logged).not.toContain(secret);

    const call = await w!.connections.client.request(id, { method: 'GET', url: '/me/media' });
    expect(call.status).toBe(200);
    expect(meta!.apiRequests.map((r) => r.headers.authorization)).toEqual([
      `Bearer ${meta!.longLivedTokens[0]}`,
      `Bearer ${meta!.longLivedTokens[0]}`,
    ]);

    // A renewal is scheduled though no refresh token came: the sweep will find it before the 60 days end.
    const row = await w!.store.db.selectFrom('connections').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.next_refresh_at).not.toBeNull();
    expect(row.next_refresh_at!).toBeLessThan(expiresAt);
  });

  it('renews the long-lived token with itself, in a GET without the client secret, when renewal falls due', async () => {
    const { id, shown } = await connect();
    const first = meta!.longLivedTokens[0]!;
    await dueAfter(id, 60 * DAY_MS - 4 * 60_000);

    expect(await w!.connections.sweep()).toEqual({ renewed: 1, failed: 0 });
    const refresh = meta!.tokenRequests.at(-1)!;
    expect([refresh.method, refresh.path, refresh.query.get('grant_type')]).toEqual([
      'GET',
      '/refresh_access_token',
      'ig_refresh_token',
    ]);
    expect(refresh.query.get('access_token')).toBe(first);
    expect(refresh.query.has('client_secret')).toBe(false);

    const credentials = await w!.connections.credentials.get(id);
    expect(placedValue(credentials.placed)).toBe(`Bearer ${meta!.longLivedTokens[1]}`);
    const connection = await shown();
    expect(connection.status).toBe('active');
    expect(Date.parse(connection.expiresAt)).toBeGreaterThan(Date.now() + 59 * DAY_MS);
  });

  it('asks for reauthorization when Meta says the token has expired or was revoked (Graph API error 190)', async () => {
    const { id, shown } = await connect();
    meta!.revokeAll();
    await dueAfter(id, 2 * DAY_MS);

    expect(await w!.connections.sweep()).toEqual({ renewed: 0, failed: 1 });
    const connection = await shown();
    expect(connection.status).toBe('reauthorization_required');
    expect(JSON.stringify(connection)).not.toContain(meta!.longLivedTokens[0]!);
  });

  it('does the same for Threads, with its th_ grant types at graph.threads.net', async () => {
    const { id, authorizeUrl, shown } = await connect('threads', ['threads_basic', 'threads_content_publish']);
    expect(authorizeUrl.searchParams.get('scope')).toBe('threads_basic,threads_content_publish');
    expect(await shown()).toMatchObject({ status: 'active', account: { label: meta!.username } });
    await dueAfter(id, 30 * DAY_MS);
    expect(await w!.connections.sweep()).toEqual({ renewed: 1, failed: 0 });
    expect(meta!.tokenRequests.map((r) => r.body.get('grant_type') ?? r.query.get('grant_type'))).toEqual([
      'authorization_code',
      'th_exchange_token',
      'th_refresh_token',
    ]);
    const credentials = await w!.connections.credentials.get(id);
    expect(placedValue(credentials.placed)).toBe(`Bearer ${meta!.longLivedTokens[1]}`);
  });

  it('exchanges a Facebook Login token for a long-lived one (fb_exchange_token), which it cannot renew', async () => {
    const before = Date.now();
    const { id, shown } = await connect('facebook-pages', ['pages_show_list']);
    expect(meta!.tokenRequests.map((r) => [r.method, r.body.get('grant_type') ?? r.query.get('grant_type')])).toEqual([
      ['POST', 'authorization_code'],
      ['GET', 'fb_exchange_token'],
    ]);
    const exchange = meta!.tokenRequests[1]!;
    expect(exchange.query.get('fb_exchange_token')).toBe(meta!.shortLivedTokens[0]);
    expect(exchange.query.get('client_id')).toBe(meta!.clientId);
    expect(exchange.query.get('client_secret')).toBe(meta!.clientSecret);
    expect(exchange.query.has('access_token')).toBe(false);

    const connection = await shown();
    expect(connection).toMatchObject({ status: 'active', account: { id: meta!.userId } });
    // About 60 days instead of the hours the code's token had.
    expect(Date.parse(connection.expiresAt)).toBeGreaterThanOrEqual(before + 60 * DAY_MS - 1000);
    const credentials = await w!.connections.credentials.get(id);
    expect(placedValue(credentials.placed)).toBe(`Bearer ${meta!.longLivedTokens[0]}`);
    // Nothing renews it: no renewal is scheduled before it ends, and no request is made for it.
    const row = await w!.store.db.selectFrom('connections').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.next_refresh_at).toBe(row.expires_at);
    // The exchange's URL is logged, but not the token it carries (as fb_exchange_token) nor the secret.
    const logged = logLines.join('\n');
    expect(logged).toContain('fb_exchange_token=%5Bredacted%5D');
    for (const secret of [...meta!.shortLivedTokens, ...meta!.longLivedTokens, meta!.clientSecret])
      expect(logged).not.toContain(secret);
    expect(await w!.connections.sweep()).toEqual({ renewed: 0, failed: 0 });
    expect(meta!.tokenRequests).toHaveLength(2);
  });
});
