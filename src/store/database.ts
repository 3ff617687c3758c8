import { Kysely, Migrator, sql } from 'kysely';
import type { Config } from '../config.ts';
import { jsonText } from '../json-text.ts';
import { sqliteDialect } from './dialects/sqlite.ts';
import { postgresDialect } from './dialects/postgres.ts';
import { migrations } from './migrations/index.ts';
import { postgresPointRead, sqlitePointRead, type PointRead } from './point-read.ts';
import type { Database } from './schema.ts';
import { sqliteSyncTransaction, type OpenedSqlite, type SyncTransaction } from './sync-transaction.ts';
import { inProcessInvalidations, postgresInvalidations, type Invalidations } from './invalidations.ts';
import { postgresStatements, type PostgresStatements } from './postgres-statements.ts';

export type DialectName = 'sqlite' | 'postgres';

/** The database handle every repository receives. */
export interface Store {
  db: Kysely<Database>;
  dialect: DialectName;
  /** Prepared primary-key reads for hot paths; repositories use it, nothing else. */
  point: PointRead;
  /** SQLite only: a few statements as one synchronous transaction, for hot paths' writes (./sync-transaction.ts). */
  syncTransaction?: SyncTransaction;
  /** PostgreSQL only: hot paths' statements, prepared once per pooled connection (./postgres-statements.ts). */
  statements?: PostgresStatements;
  /** Tells every instance to drop what it cached about a user or a token (./invalidations.ts). */
  invalidations: Invalidations;
  /** Applies pending migrations under the migrator's lock (safe with several instances starting at once). */
  migrate(): Promise<void>;
  /** True when the database answers a trivial query. */
  ping(): Promise<boolean>;
  /** Runs a trivial query; throws the driver's error when the database cannot be reached or opened. */
  probe(): Promise<void>;
  close(): Promise<void>;
}

export class DatabaseUnreachableError extends Error {}

export function openStore(database: Config['database'], options: { schema?: string } = {}): Store {
  let db: Kysely<Database>;
  let point: PointRead;
  let invalidations: Invalidations;
  let syncTransaction: SyncTransaction | undefined;
  let statements: PostgresStatements | undefined;
  if (database.kind === 'sqlite') {
    let opened: OpenedSqlite | null = null;
    db = new Kysely<Database>({
      dialect: sqliteDialect(database.file, (connection) => {
        opened = connection;
      }),
    });
    syncTransaction = sqliteSyncTransaction(db, () => opened);
    point = sqlitePointRead(database.file);
    invalidations = inProcessInvalidations();
  } else {
    const { dialect: pgDialect, pool } = postgresDialect(database.url, options);
    db = new Kysely<Database>({ dialect: pgDialect });
    statements = postgresStatements(pool);
    point = postgresPointRead(statements);
    invalidations = postgresInvalidations(database.url, pool, options);
  }
  const dialect: DialectName = database.kind;

  return {
    db,
    dialect,
    point,
    invalidations,
    ...(syncTransaction ? { syncTransaction } : {}),
    ...(statements ? { statements } : {}),
    async migrate() {
      // Kysely's migration tables go in the store's own schema, named with it, like every other table.
      const migrator = new Migrator({
        db,
        provider: { getMigrations: async () => migrations },
        ...(options.schema ? { migrationTableSchema: options.schema } : {}),
      });
      const { error, results } = await migrator.migrateToLatest();
      if (error) {
        const failed = results?.find((r) => r.status === 'Error');
        throw new Error(
          `Database migration ${failed?.migrationName ?? ''} failed: ${error instanceof Error ? error.message : jsonText(error)}`,
        );
      }
    },
    async ping() {
      try {
        await sql`select 1`.execute(db);
        return true;
      } catch {
        return false;
      }
    },
    async probe() {
      await sql`select 1`.execute(db);
    },
    async close() {
      await invalidations.close();
      point.close();
      await db.destroy();
    },
  };
}
