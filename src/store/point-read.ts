import SQLite from 'better-sqlite3';
import { withPrivateUmask } from '../private-files.ts';
import type { PostgresStatements } from './postgres-statements.ts';
import type { Database } from './schema.ts';

/**
 * Reads one row by primary key with a prepared statement, for the hot paths
 * (every module call reads its connection). Kysely compiles each query and
 * queues on its single SQLite connection; a prepared point read on a reader
 * connection of its own is several times cheaper. SQLite in WAL mode gives that
 * reader only committed rows, so it never sees another statement half done.
 */
export interface PointRead {
  /** `columns` (default all) are spliced into the statement: pass constants only. */
  byId(
    table: keyof Database,
    idColumn: string,
    id: string,
    columns?: readonly string[],
  ): Promise<Record<string, unknown> | undefined>;
  /**
   * SQLite only: the same read, answered synchronously (the reader never waits). `named` turns the
   * values of `columns`, in their order, into the row: an object literal there costs a third of a
   * microsecond less than naming eleven columns in a loop (docs/benchmarks.md, seventh pass).
   */
  byIdNow?(
    table: keyof Database,
    idColumn: string,
    id: string,
    columns?: readonly string[],
    named?: (values: readonly unknown[]) => Record<string, unknown>,
  ): Record<string, unknown> | undefined;
  close(): void;
}

const IDENT = /^[a-z_][a-z0-9_]*$/;

function selectById(table: string, idColumn: string, placeholder: string, columns?: readonly string[]): string {
  // Names come from code, never from input; checked anyway since they are spliced in.
  for (const name of [table, idColumn, ...(columns ?? [])])
    if (!IDENT.test(name)) throw new TypeError(`not an identifier: ${name}`);
  return `select ${columns ? columns.join(', ') : '*'} from ${table} where ${idColumn} = ${placeholder}`;
}

export function sqlitePointRead(file: string): PointRead {
  let reader: SQLite.Database | null = null;
  // Keyed by the column list itself (callers pass constants), so a read builds no key.
  const statements = new Map<string, Map<readonly string[] | undefined, SQLite.Statement>>();
  function byIdNow(
    table: keyof Database,
    idColumn: string,
    id: string,
    columns?: readonly string[],
    named?: (values: readonly unknown[]) => Record<string, unknown>,
  ): Record<string, unknown> | undefined {
    if (!reader) {
      // Read-only, but it may still create the SHM file: with the private umask, like the writer's.
      reader = withPrivateUmask(() => new SQLite(file, { readonly: true, fileMustExist: true }));
      reader.pragma('busy_timeout = 5000');
    }
    const where = `${table}.${idColumn}`;
    let byColumns = statements.get(where);
    if (!byColumns) statements.set(where, (byColumns = new Map<readonly string[] | undefined, SQLite.Statement>()));
    let statement = byColumns.get(columns);
    if (!statement) {
      statement = reader.prepare(selectById(table, idColumn, '?', columns));
      // Named columns come back as an array and are named here: better-sqlite3 builds each row
      // object property by property in C++, which costs more than the read itself.
      if (columns) statement.raw(true);
      byColumns.set(columns, statement);
    }
    if (!columns) return statement.get(id) as Record<string, unknown> | undefined;
    const values = statement.get(id) as unknown[] | undefined;
    if (!values) return undefined;
    if (named) return named(values);
    const row: Record<string, unknown> = {};
    for (let i = 0; i < columns.length; i++) row[columns[i]!] = values[i];
    return row;
  }
  return {
    byIdNow,
    async byId(table, idColumn, id, columns) {
      return byIdNow(table, idColumn, id, columns);
    },
    close() {
      reader?.close();
      reader = null;
      statements.clear();
    },
  };
}

export function postgresPointRead(statements: PostgresStatements): PointRead {
  const texts = new Map<string, string>();
  return {
    async byId(table, idColumn, id, columns) {
      const key = `${table}.${idColumn}.${columns?.join(',') ?? '*'}`;
      let text = texts.get(key);
      if (text === undefined) texts.set(key, (text = selectById(table, idColumn, '$1', columns)));
      const [row] = await statements.query<Record<string, unknown>>(text, [id]);
      return row;
    },
    close() {},
  };
}
