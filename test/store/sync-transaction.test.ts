import Database from 'better-sqlite3';
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

  it('holds the write lock from its start: another process cannot commit between its read and its write', async () => {
    // Another process on the same file (the CLI, say), which gives up at once instead of waiting.
    const other = new Database(store.file);
    other.pragma('busy_timeout = 0');
    try {
      let othersWrite: unknown;
      await store.syncTransaction!((sql) => {
        const before = teams(sql);
        try {
          other.prepare('insert into teams (id, name, created_at) values (?, ?, ?)').run('t9', 'Between', 9);
        } catch (error) {
          othersWrite = error;
        }
        sql.run('insert into teams (id, name, created_at) values (?, ?, ?)', ['t1', `After ${before}`, 1]);
      });
      // A deferred transaction would let the other write in, then fail on its own write with SQLITE_BUSY.
      expect((othersWrite as { code?: string } | undefined)?.code).toBe('SQLITE_BUSY');
      expect(await store.db.selectFrom('teams').select('name').execute()).toEqual([{ name: 'After 0' }]);
    } finally {
      other.close();
    }
  });
});
