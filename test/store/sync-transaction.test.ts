import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sqliteTestStore, type TestStore } from '../helpers/store.ts';

describe('SQLite synchronous transactions', () => {
  let store: TestStore;
  beforeEach(async () => {
    store = await sqliteTestStore();
  });
  afterEach(async () => {
    await store.destroy();
  });

  const teams = (sql: { all<R>(text: string, parameters: readonly unknown[]): R[] }) =>
    sql.all<{ n: number }>('select count(*) as n from teams', [])[0]!.n;

  it('waits for a Kysely transaction in progress instead of running inside it', async () => {
    let finish!: () => void;
    const held = new Promise<void>((resolve) => (finish = resolve));
    const kysely = store.db
      .transaction()
      .execute(async (trx) => {
        await trx.insertInto('teams').values({ id: 't1', name: 'Rolled back', created_at: 1 }).execute();
        await held;
        throw new Error('roll back');
      })
      .catch((error: unknown) => error);
    // Let the Kysely transaction begin and insert before the synchronous one is asked for.
    await new Promise((resolve) => setTimeout(resolve, 20));
    let counted: number | undefined;
    const sync = store.syncTransaction!((sql) => (counted = teams(sql)));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(counted).toBeUndefined();
    finish();
    expect(await kysely).toBeInstanceOf(Error);
    expect(await sync).toBe(0);
  });

  it('stores nothing when a step throws, and the next transaction runs', async () => {
    const failed = await store.syncTransaction!((sql) => {
      sql.run('insert into teams (id, name, created_at) values (?, ?, ?)', ['t1', 'Half', 1]);
      sql.run('insert into teams (id, name, created_at) values (?, ?, ?)', ['t1', 'Duplicate', 1]);
    }).catch((error: unknown) => error);
    expect((failed as { code?: string }).code).toBe('SQLITE_CONSTRAINT_PRIMARYKEY');
    expect(await store.syncTransaction!(teams)).toBe(0);
    await store.syncTransaction!((sql) =>
      sql.run('insert into teams (id, name, created_at) values (?, ?, ?)', ['t2', 'Kept', 2]),
    );
    expect(await store.db.selectFrom('teams').select('name').execute()).toEqual([{ name: 'Kept' }]);
  });
});
