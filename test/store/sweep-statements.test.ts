import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newId } from '../../src/ids.ts';
import { ConnectionsRepository, CREDENTIALS_COLUMNS } from '../../src/store/repositories/connections.ts';
import type { EventRow, NewConnection } from '../../src/store/schema.ts';
import { connectionRow } from '../helpers/connection-row.ts';
import { dialects, type TestStore } from '../helpers/store.ts';

describe.each(dialects)("the sweep's claim and store on $name", ({ open }) => {
  let store: TestStore;
  let repository: ConnectionsRepository;
  let teamId: string;
  const now = 1_800_000_000_000;

  beforeEach(async () => {
    store = await open();
    repository = new ConnectionsRepository(store);
    teamId = newId();
    await store.db.insertInto('teams').values({ id: teamId, name: 'Team', created_at: now }).execute();
  });
  afterEach(async () => {
    await store.destroy();
  });

  async function connection(name: string, changes: Partial<NewConnection>): Promise<string> {
    const row = connectionRow(teamId, {
      app: 'http',
      name,
      data: '{"parameters":{}}',
      expires_at: now + 60_000,
      next_refresh_at: now - 1_000,
      created_at: now,
      updated_at: now,
      ...changes,
    });
    await store.db.insertInto('connections').values(row).execute();
    return row.id;
  }

  function event(connectionId: string): EventRow {
    return {
      id: newId(now),
      team_id: teamId,
      connection_id: connectionId,
      type: 'connection.refreshed',
      actor: 'system',
      at: now,
      message: 'The access token was renewed.',
    };
  }

  it('claims due rows with their leases, oldest due first, and says which held a lapsed lease', async () => {
    const fresh = await connection('due', { next_refresh_at: now - 2_000 });
    await connection('lapsed lease', { refreshing_until: now - 1 });
    await connection('leased', { refreshing_until: now + 10_000 });
    await connection('not due', { next_refresh_at: now + 10_000 });
    await connection('cooling down', { status: 'error', retry_at: now + 10_000 });
    await connection('lost', { status: 'reauthorization_required' });

    const claimed = await repository.claimDue(now, now + 45_000, 8);
    expect(claimed.map(({ row, abandonedLease }) => [row.name, abandonedLease]).sort()).toEqual([
      ['due', false],
      ['lapsed lease', true],
    ]);
    for (const { row } of claimed) {
      expect(row.refreshing_until).toBe(now + 45_000);
      expect(Object.keys(row)).not.toContain('previous_lease');
    }
    // Claimed: not claimed again until the lease lapses.
    expect(await repository.claimDue(now, now + 45_000, 8)).toEqual([]);
    const one = await repository.claimDue(now + 50_000, now + 95_000, 1);
    expect(one.map(({ row, abandonedLease }) => [row.id, abandonedLease])).toEqual([[fresh, true]]);
  });

  it('stores a renewal with its event in one go, and neither for a connection that is gone', async () => {
    const id = await connection('due', { refreshing_until: now + 45_000 });
    const before = await repository.byId(id);
    const stored = await repository.storeRenewal(
      id,
      { secrets_enc: 'v1.x.y.z', expires_at: now + 3_600_000, refreshing_until: null, updated_at: now + 1 },
      event(id),
    );
    expect(stored).toMatchObject({
      id,
      secrets_enc: 'v1.x.y.z',
      expires_at: now + 3_600_000,
      credentials_version: before!.credentials_version + 1,
    });
    // What the token path places from, as stored.
    const row = await repository.byId(id);
    expect(row?.refreshing_until).toBeNull();
    expect(stored).toEqual(Object.fromEntries(CREDENTIALS_COLUMNS.map((name) => [name, row![name]])));

    const gone = newId();
    expect(await repository.storeRenewal(gone, { updated_at: now }, event(gone))).toBeUndefined();
    const events = await store.db.selectFrom('events').select(['connection_id', 'type', 'at']).execute();
    expect(events).toEqual([{ connection_id: id, type: 'connection.refreshed', at: now }]);
  });
});
