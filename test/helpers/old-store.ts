import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { inspect } from 'node:util';
import { Migrator, type Kysely } from 'kysely';
import pg from 'pg';
import { openStore, type Store } from '../../src/store/database.ts';
import { migrations } from '../../src/store/migrations/index.ts';
import { TEST_PG_URL } from './store.ts';

/** A fresh database migrated only as far as a test says, to build the state an old release left. */
export interface OldStore {
  store: Store;
  /** Runs the migrator up to `name` (inclusive), or to the latest. */
  migrateTo(name?: string): Promise<void>;
  destroy(): Promise<void>;
}

export async function openOld(dialect: 'sqlite' | 'postgres'): Promise<OldStore> {
  let store: Store;
  let schema: string | undefined;
  let cleanup: () => Promise<void>;
  if (dialect === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hitch-migrate-'));
    store = openStore({ kind: 'sqlite', file: path.join(dir, 'hitch.sqlite') });
    cleanup = async () => fs.rmSync(dir, { recursive: true, force: true });
  } else {
    schema = `hitch_mig_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
    const admin = new pg.Client({ connectionString: TEST_PG_URL });
    await admin.connect();
    await admin.query(`create schema ${schema}`);
    await admin.end();
    store = openStore({ kind: 'postgres', url: TEST_PG_URL }, { schema });
    cleanup = async () => {
      const client = new pg.Client({ connectionString: TEST_PG_URL });
      await client.connect();
      await client.query(`drop schema if exists ${schema} cascade`);
      await client.end();
    };
  }
  const migrator = new Migrator({
    db: store.db as Kysely<unknown>,
    provider: { getMigrations: async () => migrations },
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
  return {
    store,
    async migrateTo(name) {
      const { error, results } = name ? await migrator.migrateTo(name) : await migrator.migrateToLatest();
      if (error) throw new Error(`migration failed: ${JSON.stringify(results)} ${inspect(error)}`);
    },
    async destroy() {
      await store.close();
      await cleanup();
    },
  };
}
