import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { TEST_PG_URL, postgresTestStore } from '../helpers/store.ts';

// The migrator asks the dialect's introspector whether its tables exist before every migration.
describe('PostgreSQL introspection', () => {
  it('reads only the store’s own schema, with the columns Kysely reports', async () => {
    const store = await postgresTestStore();
    const other = await postgresTestStore();
    try {
      const tables = await store.db.introspection.getTables({ withInternalKyselyTables: true });
      expect(new Set(tables.map((t) => t.schema))).toEqual(new Set([store.schema]));
      expect(tables.map((t) => t.name)).toEqual(expect.arrayContaining(['teams', 'kysely_migration']));
      const withoutInternal = await store.db.introspection.getTables();
      expect(withoutInternal.map((t) => t.name)).not.toContain('kysely_migration');
      const teams = tables.find((t) => t.name === 'teams');
      expect(teams?.isView).toBe(false);
      expect(teams?.columns.find((c) => c.name === 'id')).toMatchObject({ dataType: 'text', isNullable: false });
      expect(teams?.columns.find((c) => c.name === 'created_at')).toMatchObject({ dataType: 'int8' });
    } finally {
      await other.destroy();
      await store.destroy();
    }
  });

  it('does not fail while other schemas on the server are created and dropped', async () => {
    const store = await postgresTestStore();
    const churner = new pg.Client({ connectionString: TEST_PG_URL });
    await churner.connect();
    const prefix = `hitch_churn_${process.pid}_`;
    const finished = new AbortController();
    let made = 0;
    const churn = (async () => {
      while (!finished.signal.aborted) {
        const schema = `${prefix}${made++}`;
        await churner.query(`create schema ${schema}; create table ${schema}.t (id serial primary key, a text)`);
        await churner.query(`drop schema ${schema} cascade`);
      }
    })();
    const failures: string[] = [];
    try {
      // Kysely's own introspector fails about one read in thirty here ("schema … does not exist").
      for (let i = 0; i < 300; i++) {
        await store.db.introspection.getTables({ withInternalKyselyTables: true }).catch((error: unknown) => {
          failures.push((error as Error).message);
        });
      }
      await store.migrate();
    } finally {
      finished.abort();
      await churn;
      await churner.end();
      await store.destroy();
    }
    expect(made).toBeGreaterThan(10);
    expect(failures).toEqual([]);
  });
});
