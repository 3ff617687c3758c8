import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newId } from '../../src/ids.ts';
import { ConnectionsRepository } from '../../src/store/repositories/connections.ts';
import { connectionRow } from '../helpers/connection-row.ts';
import { postgresTestStore, TEST_PG_URL, type TestStore } from '../helpers/store.ts';

// The hot paths' statements are prepared once per pooled connection. A rolling upgrade runs the next
// version's migrations under instances still serving: a prepared `select *` is then refused by the
// server ("cached plan must not change result type") until it is prepared again.
describe('prepared statements on PostgreSQL', () => {
  let store: TestStore;
  let other: pg.Client;

  beforeEach(async () => {
    store = await postgresTestStore();
    other = new pg.Client({ connectionString: TEST_PG_URL, options: `-c search_path=${store.schema!}` });
    await other.connect();
  });
  afterEach(async () => {
    await other.end();
    await store.destroy();
  });

  it('are prepared once on the server and reused', async () => {
    const text = 'select $1::text as echo';
    for (let i = 0; i < 3; i++)
      expect(await store.statements!.query(text, [`call ${i}`])).toEqual([{ echo: `call ${i}` }]);
    // Every pooled connection that ran it holds it as a named statement of its own.
    const prepared = await store.statements!.query<{ count: string }>(
      "select count(*)::text as count from pg_prepared_statements where statement = 'select $1::text as echo'",
      [],
    );
    expect(prepared).toEqual([{ count: '1' }]);
  });

  it('still read a whole row after another instance adds a column under them', async () => {
    const teamId = newId();
    await store.db.insertInto('teams').values({ id: teamId, name: 'Team', created_at: 1 }).execute();
    const row = connectionRow(teamId);
    await store.db.insertInto('connections').values(row).execute();
    const repository = new ConnectionsRepository(store);
    expect((await repository.byId(row.id))?.id).toBe(row.id);

    await other.query(`alter table connections add column added_by_next_version text default 'new'`);

    const after = (await repository.byId(row.id)) as Record<string, unknown> | undefined;
    expect(after?.id).toBe(row.id);
    expect(after?.added_by_next_version).toBe('new');
  });

  it('pass on every other error as it is', async () => {
    await expect(store.statements!.query('select * from no_such_table', [])).rejects.toThrow(/no_such_table/);
  });
});
