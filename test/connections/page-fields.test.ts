import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects } from '../helpers/store.ts';
import { connect, getConnection, openOAuthWorld, type OAuthWorld } from './harness.ts';

/** What a connection's page reads beyond the table: who created it, its last renewal, its events newest first. */
describe.each(dialects)('a connection’s page fields on $name', ({ open }) => {
  let w: OAuthWorld;
  beforeAll(async () => {
    w = await openOAuthWorld(open);
  });
  afterAll(async () => {
    await w.close();
  });

  it('says who created it and when it was last renewed, and lists its events newest first', async () => {
    const { id } = await connect(w);
    let { body } = await getConnection(w, id);
    expect(body.createdBy).toBe(w.user.user.id);
    expect(body.lastRenewedAt).toBeNull();

    // A refresh now, as after a 401.
    w.t.connections.credentials.cache.clear();
    const creds = await w.t.connections.credentials.get(id);
    const before = Date.now();
    await w.t.connections.credentials.get(id, { staleVersion: creds.version });
    ({ body } = await getConnection(w, id));
    expect(Date.parse(body.lastRenewedAt as string)).toBeGreaterThanOrEqual(before - 1000);

    const events = await w.t.app.inject({
      method: 'GET',
      url: `/api/v1/events?connectionId=${id}&limit=1`,
      headers: { cookie: w.cookie },
    });
    const page = events.json<{ items: Array<{ type: string }>; nextCursor: string | null }>();
    expect(page.items.map((e) => e.type)).toEqual(['connection.refreshed']);
    expect(page.nextCursor).not.toBeNull();
  });
});
