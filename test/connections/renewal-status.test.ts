import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectionUpdate } from '../../src/store/schema.ts';
import { dialects } from '../helpers/store.ts';
import type { OAuthServer } from '../peers/oauth-server.ts';
import {
  connect,
  connectionRow,
  getConnection,
  openOAuthWorld,
  startSharedOAuthServer,
  type OAuthWorld,
} from './harness.ts';
import { placedValue } from '../helpers/placed.ts';

let server: OAuthServer;
beforeAll(async () => {
  // Tokens that last ten minutes: a connection renewed here is not due again before the test looks
  // (the default three seconds made a slow run find one due again in its closing sweep).
  server = await startSharedOAuthServer({ accessTokenTtlSeconds: 600 });
});
afterAll(async () => {
  await server.close();
});

describe.each(dialects)('renewal statuses and rotation safety on $name', ({ open }) => {
  let w: OAuthWorld;
  beforeAll(async () => {
    w = await openOAuthWorld(open, { sharedServer: server });
  });
  afterAll(async () => {
    await w.close();
  });

  const setRow = (id: string, changes: ConnectionUpdate) =>
    w.t.store.db.updateTable('connections').set(changes).where('id', '=', id).execute();
  const refreshRequests = () => w.server.tokenRequests.filter((r) => r.grantType === 'refresh_token').length;
  const get = (id: string) => {
    w.t.connections.credentials.cache.clear();
    return w.t.connections.credentials.get(id);
  };

  it('keeps a connection active through a transient failure while its token works, backs off, then errors once the token lapsed, and recovers', async () => {
    const { id } = await connect(w);
    const firstToken = placedValue((await get(id)).placed);

    // Due for renewal (within its lead), but the token itself is still valid.
    await setRow(id, { next_refresh_at: Date.now() - 1 });
    w.server.failNextTokenRequests(1, 503);
    const before = refreshRequests();
    const served = await get(id);
    expect(placedValue(served.placed)).toBe(firstToken);
    expect(refreshRequests()).toBe(before + 1);

    let row = (await connectionRow(w, id))!;
    expect(row.status).toBe('active');
    expect(row.retry_at).toBeGreaterThan(Date.now());
    let shown = (await getConnection(w, id)).body;
    expect(shown.status).toBe('active');
    expect(shown.lastError).toMatchObject({ code: expect.any(String), message: expect.stringMatching(/\S/) });

    // Cooling down: a second on-demand call does not go back to the failing service.
    expect(placedValue((await get(id)).placed)).toBe(firstToken);
    expect(refreshRequests()).toBe(before + 1);
    expect((await w.t.connections.sweep()).renewed).toBe(0);
    expect(refreshRequests()).toBe(before + 1);

    // The token lapses while the service keeps failing: error, and callers are told.
    await setRow(id, { expires_at: Date.now() - 1, next_refresh_at: Date.now() - 1, retry_at: Date.now() - 1 });
    w.server.failNextTokenRequests(1, 503);
    await expect(get(id)).rejects.toMatchObject({ code: 'upstream_unreachable' });
    expect(refreshRequests()).toBe(before + 2);
    row = (await connectionRow(w, id))!;
    expect(row.status).toBe('error');
    expect(row.retry_at).toBeGreaterThan(Date.now());
    expect(row.refresh_failures).toBe(2);

    // Still cooling down: refused without a call.
    await expect(get(id)).rejects.toMatchObject({ code: 'upstream_unreachable' });
    expect(refreshRequests()).toBe(before + 2);

    // After the backoff the service is back: active again, no error left.
    await setRow(id, { retry_at: Date.now() - 1 });
    const renewed = await get(id);
    expect(placedValue(renewed.placed)).not.toBe(firstToken);
    expect(refreshRequests()).toBe(before + 3);
    shown = (await getConnection(w, id)).body;
    expect(shown.status).toBe('active');
    expect(shown.lastError).toBeNull();
    row = (await connectionRow(w, id))!;
    expect(row.retry_at).toBeNull();
    expect(row.refresh_failures).toBe(0);
    expect(w.server.grants.invalid_grant).toBe(0);
  });

  it('lets two processes with 25 callers each on an expired token cause exactly one refresh and no invalid_grant', async () => {
    const { id } = await connect(w);
    const other = await w.t.spawn();
    await setRow(id, { expires_at: Date.now() - 1, next_refresh_at: Date.now() - 1 });
    w.t.connections.credentials.cache.clear();
    const grantsBefore = w.server.grants.refresh_token;
    const invalidBefore = w.server.grants.invalid_grant;
    const callers = [
      ...Array.from({ length: 25 }, () => w.t.connections.credentials.get(id)),
      ...Array.from({ length: 25 }, () => other.connections.credentials.get(id)),
    ];
    const results = await Promise.all(callers);
    expect(new Set(results.map((r) => placedValue(r.placed))).size).toBe(1);
    expect(w.server.grants.refresh_token).toBe(grantsBefore + 1);
    expect(w.server.grants.invalid_grant).toBe(invalidBefore);
    const row = (await connectionRow(w, id))!;
    expect(row.refreshing_until).toBeNull();
    expect(row.status).toBe('active');
    // The one refresh token now stored is the live one: the next renewal works.
    const again = await other.connections.credentials.get(id, { staleVersion: results[0]!.version });
    expect(placedValue(again.placed)).not.toBe(placedValue(results[0]!.placed));
    expect(w.server.grants.invalid_grant).toBe(invalidBefore);
  });

  it('lets two processes sweep at once and renews each due connection exactly once, each with its event', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) ids.push((await connect(w)).id);
    const other = await w.t.spawn();
    for (const id of ids) await setRow(id, { expires_at: Date.now() - 1, next_refresh_at: Date.now() - 1 });
    const grantsBefore = w.server.grants.refresh_token;
    const invalidBefore = w.server.grants.invalid_grant;
    const refreshedEvents = () =>
      w.t.store.db
        .selectFrom('events')
        .select('connection_id')
        .where('type', '=', 'connection.refreshed')
        .where('connection_id', 'in', ids)
        .execute();
    const eventsBefore = (await refreshedEvents()).length;

    const [here, there] = await Promise.all([w.t.connections.sweep(), other.connections.sweep()]);
    // Earlier tests' connections may be due too: every renewal is one refresh, and ours are all among them.
    const renewed = here.renewed + there.renewed;
    expect(renewed).toBeGreaterThanOrEqual(ids.length);
    expect(here.failed + there.failed).toBe(0);
    expect(w.server.grants.refresh_token).toBe(grantsBefore + renewed);
    expect(w.server.grants.invalid_grant).toBe(invalidBefore);
    const events = await refreshedEvents();
    expect(events.length).toBe(eventsBefore + ids.length);
    for (const id of ids) expect(events.filter((e) => e.connection_id === id).length).toBe(1);
    for (const id of ids) {
      const row = (await connectionRow(w, id))!;
      expect(row.refreshing_until).toBeNull();
      expect(row.status).toBe('active');
      expect(row.expires_at).toBeGreaterThan(Date.now());
    }
    // Nothing is due any more: a second sweep renews nothing.
    expect((await other.connections.sweep()).renewed).toBe(0);
  });

  it('does not let a stale lease (a process that died mid-refresh) block renewal', async () => {
    const { id } = await connect(w);
    await setRow(id, {
      expires_at: Date.now() - 1,
      next_refresh_at: Date.now() - 1,
      refreshing_until: Date.now() - 1000,
    });
    const before = w.server.grants.refresh_token;
    const creds = await get(id);
    expect(w.server.grants.refresh_token).toBe(before + 1);
    expect(placedValue(creds.placed)).toBe(`Bearer ${w.server.issued.accessTokens.at(-1)}`);
    const row = (await connectionRow(w, id))!;
    expect(row.refreshing_until).toBeNull();
    expect(row.expires_at).toBeGreaterThan(Date.now());
  });
});
