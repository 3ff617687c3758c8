import type SQLite from 'better-sqlite3';
import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';

/** Statements inside a synchronous transaction; `?` placeholders. */
export interface SyncSteps {
  all<R>(text: string, parameters: readonly unknown[]): R[];
  run(text: string, parameters: readonly unknown[]): void;
}

/**
 * Runs `steps` as one SQLite transaction, synchronously, on Kysely's own connection while Kysely
 * holds it for this caller (so no other query, and no transaction of Kysely's, is open around it).
 * For the few writes on a hot path: a Kysely transaction awaits its BEGIN, every statement and
 * its COMMIT one by one, which cost more than the statements. Rolled back if `steps` throws.
 */
export type SyncTransaction = <T>(steps: (sql: SyncSteps) => T) => Promise<T>;

/** The connection Kysely's SQLite dialect opened, with its statement cache. */
export interface OpenedSqlite {
  db: SQLite.Database;
  prepare(text: string): SQLite.Statement;
}

export function sqliteSyncTransaction(db: Kysely<Database>, opened: () => OpenedSqlite | null): SyncTransaction {
  // One transaction function per opened connection: better-sqlite3 builds its wrapper anew on every `transaction()`.
  let made: { for: OpenedSqlite; run: (steps: (sql: SyncSteps) => unknown) => unknown } | null = null;
  return (steps) =>
    db.connection().execute(async () => {
      const sqlite = opened();
      if (!sqlite) throw new Error('The SQLite connection is not open.');
      if (made?.for !== sqlite) {
        const sql: SyncSteps = {
          all: <R>(text: string, parameters: readonly unknown[]) => sqlite.prepare(text).all(...parameters) as R[],
          run: (text, parameters) => {
            sqlite.prepare(text).run(...parameters);
          },
        };
        // IMMEDIATE: every such transaction writes, so it takes the write lock before its first read. A deferred
        // one that read first fails with SQLITE_BUSY, busy timeout or not, when another process (the CLI) wrote meanwhile.
        const transaction = sqlite.db.transaction((inside: (sql: SyncSteps) => unknown) => inside(sql));
        made = { for: sqlite, run: (steps) => transaction.immediate(steps) };
      }
      return made.run(steps) as ReturnType<typeof steps>;
    });
}
