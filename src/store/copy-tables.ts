import { sql, type Kysely, type Transaction } from 'kysely';
import type { Store } from './database.ts';
import type { Database } from './schema.ts';

/**
 * The SQL of `hitch migrate-to-postgres`: the tables of a SQLite database in
 * an order that satisfies their foreign keys, and a batched copy of their rows.
 */

/** Rows read and written per statement: big enough to be quick, small enough to stay under PostgreSQL's 65 535 parameters. */
export const COPY_BATCH_ROWS = 500;

/** The application's tables (not SQLite's or the migrator's), parents before children. */
export async function sqliteTablesInCopyOrder(source: Store): Promise<string[]> {
  const { db } = source;
  const { rows } = await sql<{
    name: string;
  }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like 'kysely_%' order by name`.execute(
    db,
  );
  const parents = new Map<string, string[]>();
  for (const { name } of rows) {
    const fks = await sql<{ table: string }>`select "table" from pragma_foreign_key_list(${name})`.execute(db);
    parents.set(
      name,
      fks.rows.map((r) => r.table).filter((t) => t !== name),
    );
  }
  const ordered: string[] = [];
  const visiting = new Set<string>();
  const visit = (table: string) => {
    if (ordered.includes(table) || visiting.has(table)) return;
    visiting.add(table);
    for (const parent of parents.get(table) ?? []) if (parents.has(parent)) visit(parent);
    ordered.push(table);
  };
  for (const table of parents.keys()) visit(table);
  return ordered;
}

/** The first of `tables` holding a row, or null when all are empty. */
export async function firstNonEmptyTable(target: Store, tables: string[]): Promise<string | null> {
  const { db } = target;
  for (const table of tables) {
    const { rows } = await sql<{ one: number }>`select 1 as one from ${sql.table(table)} limit 1`.execute(db);
    if (rows.length > 0) return table;
  }
  return null;
}

/** Copies every table of `tables`, in that order, from the SQLite `source` into `target` in one transaction; the rows copied per table. */
export async function copyTables(source: Store, target: Store, tables: string[]): Promise<Array<[string, number]>> {
  const counts = await target.db.transaction().execute(async (trx) => {
    const copied: Array<[string, number]> = [];
    for (const table of tables) copied.push([table, await copyTable(source.db, trx, table)]);
    return copied;
  });
  // Statistics now, as after any restore: until autovacuum gets to them, PostgreSQL plans with
  // defaults, and the renewal sweep's claim then sorts every due row instead of walking its index.
  for (const [table, rows] of counts) if (rows > 0) await sql`analyze ${sql.table(table)}`.execute(target.db);
  return counts;
}

/** Copies one table in rowid order, a batch at a time; returns the number of rows. */
async function copyTable(source: Kysely<Database>, target: Transaction<Database>, table: string): Promise<number> {
  let last = Number.MIN_SAFE_INTEGER;
  let total = 0;
  for (;;) {
    const { rows } = await sql<
      Record<string, unknown> & { __rowid: number }
    >`select rowid as __rowid, * from ${sql.table(table)} where rowid > ${last} order by rowid limit ${COPY_BATCH_ROWS}`.execute(
      source,
    );
    if (rows.length === 0) return total;
    last = rows[rows.length - 1]!.__rowid;
    const columns = Object.keys(rows[0]!).filter((c) => c !== '__rowid');
    const values = rows.map((row) => sql`(${sql.join(columns.map((c) => row[c] ?? null))})`);
    await sql`insert into ${sql.table(table)} (${sql.join(columns.map((c) => sql.ref(c)))}) values ${sql.join(values)}`.execute(
      target,
    );
    total += rows.length;
    if (rows.length < COPY_BATCH_ROWS) return total;
  }
}
