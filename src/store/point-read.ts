import SQLite from 'better-sqlite3';
import type pg from 'pg';
import type { Database } from './schema.ts';

/**
 * Reads one row by primary key with a prepared statement, for the hot paths
 * (every module call reads its connection). Kysely compiles each query and
 * queues on its single SQLite connection; a prepared point read on a reader
 * connection of its own is several times cheaper. SQLite in WAL mode gives that
 * reader only committed rows, so it never sees another statement half done.
 */
export interface PointRead {
  byId<T extends keyof Database & string>(table: T, idColumn: string, id: string): Promise<Record<string, unknown> | undefined>;
  close(): void;
}

const IDENT = /^[a-z_][a-z0-9_]*$/;

function selectById(table: string, idColumn: string, placeholder: string): string {
  // Table and column come from code, never from input; checked anyway since they are spliced in.
  if (!IDENT.test(table) || !IDENT.test(idColumn)) throw new TypeError(`not an identifier: ${table}.${idColumn}`);
  return `select * from ${table} where ${idColumn} = ${placeholder}`;
}

export function sqlitePointRead(file: string): PointRead {
  let reader: SQLite.Database | null = null;
  const statements = new Map<string, SQLite.Statement>();
  return {
    async byId(table, idColumn, id) {
      if (!reader) {
        reader = new SQLite(file, { readonly: true, fileMustExist: true });
        reader.pragma('busy_timeout = 5000');
      }
      const key = `${table}.${idColumn}`;
      let statement = statements.get(key);
      if (!statement) {
        statement = reader.prepare(selectById(table, idColumn, '?'));
        statements.set(key, statement);
      }
      return statement.get(id) as Record<string, unknown> | undefined;
    },
    close() {
      reader?.close();
      reader = null;
      statements.clear();
    },
  };
}

export function postgresPointRead(pool: pg.Pool): PointRead {
  return {
    async byId(table, idColumn, id) {
      // A named query is parsed and planned once per pooled connection.
      const result = await pool.query({ name: `point_${table}_${idColumn}`, text: selectById(table, idColumn, '$1'), values: [id] });
      return result.rows[0] as Record<string, unknown> | undefined;
    },
    close() {},
  };
}
