import path from 'node:path';
import SQLite from 'better-sqlite3';
import { SqliteDialect, type SqliteDatabase } from 'kysely';
import type { OpenedSqlite } from '../sync-transaction.ts';
import { makePrivateDir, tightenFiles, withPrivateUmask } from '../../private-files.ts';

/** The database file and the WAL and SHM files SQLite keeps next to it. */
export function sqliteFiles(file: string): string[] {
  return [file, `${file}-wal`, `${file}-shm`];
}

/**
 * The embedded default: one file, WAL so readers never wait for the writer, a
 * busy timeout instead of SQLITE_BUSY. The folder is created 0700 and the files
 * 0600: SQLite gives the WAL and SHM files the database file's permissions, and
 * the umask is tightened while it creates any of them.
 */
export function sqliteDialect(file: string, onOpen?: (opened: OpenedSqlite) => void): SqliteDialect {
  const onDisk = file !== ':memory:';
  if (onDisk) makePrivateDir(path.dirname(file));
  return new SqliteDialect({
    database: async () =>
      withPrivateUmask(() => {
        if (onDisk) tightenFiles(sqliteFiles(file));
        const db = new SQLite(file);
        db.pragma('journal_mode = WAL');
        db.pragma('busy_timeout = 5000');
        db.pragma('foreign_keys = ON');
        db.pragma('synchronous = NORMAL');
        if (onDisk) tightenFiles(sqliteFiles(file));
        const cached = withStatementCache(db);
        onOpen?.({ db, prepare: (text) => cached.prepare(text) });
        return cached satisfies SqliteDatabase;
      }),
  });
}

/** Statements kept per connection; beyond this the least recently used is dropped (queries with long IN lists vary). */
const CACHED_STATEMENTS = 256;

/**
 * Kysely prepares every query anew, and on SQLite preparing costs more than running a point
 * query or a one-row update: the renewal path runs several per connection. Statements are kept
 * by their SQL text and reused, except one still being iterated (a streamed query).
 */
function withStatementCache(db: SQLite.Database): { close(): void; prepare(sql: string): SQLite.Statement } {
  const statements = new Map<string, SQLite.Statement>();
  return {
    close: () => {
      statements.clear();
      db.close();
    },
    prepare(sql: string): SQLite.Statement {
      let statement = statements.get(sql);
      if (statement?.busy) return db.prepare(sql);
      if (statement) {
        statements.delete(sql);
      } else {
        statement = db.prepare(sql);
        if (statements.size >= CACHED_STATEMENTS) statements.delete(statements.keys().next().value!);
      }
      statements.set(sql, statement);
      return statement;
    },
  };
}
