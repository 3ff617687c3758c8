import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { openStore, type Store } from '../../src/store/database.ts';

/** The PostgreSQL every test run uses (trust auth on the machine and in CI). */
export const TEST_PG_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestStore extends Store {
  /** The SQLite file, for tests that read the database's bytes. */
  file?: string;
  /** The PostgreSQL schema, for tests that open a second store on the same database (another instance). */
  schema?: string;
  /** Drops the schema (PostgreSQL) or deletes the file (SQLite). */
  destroy(): Promise<void>;
}

/** A fresh, migrated SQLite database in its own temporary directory. */
export async function sqliteTestStore(): Promise<TestStore> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hitch-test-'));
  const file = path.join(dir, 'hitch.sqlite');
  const store = openStore({ kind: 'sqlite', file });
  await store.migrate();
  return {
    ...store,
    file,
    async destroy() {
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A fresh, migrated PostgreSQL schema of its own, dropped by `destroy`. */
export async function postgresTestStore(): Promise<TestStore> {
  const schema = `hitch_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const admin = new pg.Client({ connectionString: TEST_PG_URL });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  const store = openStore({ kind: 'postgres', url: TEST_PG_URL }, { schema });
  await store.migrate();
  return {
    ...store,
    schema,
    async destroy() {
      await store.close();
      const client = new pg.Client({ connectionString: TEST_PG_URL });
      await client.connect();
      await client.query(`drop schema if exists ${schema} cascade`);
      await client.end();
    },
  };
}

/** Both dialects, for `describe.each(dialects)` in repository and vault tests. */
export const dialects = [
  { name: 'sqlite', open: sqliteTestStore },
  { name: 'postgres', open: postgresTestStore },
] as const;
