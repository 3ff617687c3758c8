import { sql, type Kysely, type Transaction } from 'kysely';
import type { Config } from '../../config.ts';
import { openStore, type Store } from '../../store/database.ts';
import type { Database } from '../../store/schema.ts';

export const MIGRATE_TO_POSTGRES_USAGE = 'migrate-to-postgres --to <postgres://user:password@host:5432/database>';

/** Rows read and written per statement: big enough to be quick, small enough to stay under PostgreSQL's 65 535 parameters. */
export const COPY_BATCH_ROWS = 500;

export interface MigrateContext {
  config: Config;
  /** The SQLite store, migrated to the latest schema. */
  source: Store;
  out: NodeJS.WritableStream;
}

/**
 * Copies every row of the SQLite database into an empty PostgreSQL database:
 * migrations first on the target, then each table in an order that satisfies
 * its foreign keys, in batches, all in one transaction, so a failure leaves
 * the target empty to try again. Secrets move as the ciphertext they are, with
 * the data keys table beside them: the same HITCH_MASTER_KEY opens them there.
 */
export async function migrateToPostgresCommand(args: string[], ctx: MigrateContext): Promise<number> {
  const write = (line: string) => ctx.out.write(`${line}\n`);
  const target = parseTarget(args);
  if (!target) {
    write(`Usage: npm run hitch -- ${MIGRATE_TO_POSTGRES_USAGE}`);
    return 2;
  }
  if (ctx.config.database.kind !== 'sqlite') {
    write('The database Hitch uses now is not SQLite: run this with DATA_DIR (or DATABASE_URL=sqlite:…) naming the SQLite database to copy.');
    return 1;
  }

  const destination = openStore({ kind: 'postgres', url: target });
  try {
    await destination.migrate();
    const tables = await tablesInCopyOrder(ctx.source.db);
    const occupied = await firstNonEmpty(destination.db, tables);
    if (occupied) {
      write(`The target database already holds data (table ${occupied} has rows): Hitch copies only into an empty database. Create a new one, or empty this one, and run again.`);
      return 1;
    }
    const copied = await destination.db.transaction().execute(async (trx) => {
      const counts: Array<[string, number]> = [];
      for (const table of tables) counts.push([table, await copyTable(ctx.source.db, trx, table)]);
      return counts;
    });
    for (const [table, count] of copied) write(`${table}: ${count} row${count === 1 ? '' : 's'}`);
    write(`Copied ${copied.reduce((sum, [, n]) => sum + n, 0)} rows to ${describe(target)}.`);
    write('Next: start Hitch with DATABASE_URL set to that database and the same HITCH_MASTER_KEY (or master.key file).');
    return 0;
  } finally {
    await destination.close();
  }
}

function parseTarget(args: string[]): string | null {
  const at = args.indexOf('--to');
  const value = at >= 0 ? args[at + 1] : args.find((a) => a.startsWith('--to='))?.slice('--to='.length);
  return value && /^postgres(ql)?:\/\//.test(value) ? value : null;
}

/** The target without its password, for messages. */
function describe(url: string): string {
  const u = new URL(url);
  return `PostgreSQL at ${u.hostname}:${u.port || 5432}${u.pathname}`;
}

/** The application's tables (not SQLite's or the migrator's), parents before children. */
async function tablesInCopyOrder(db: Kysely<Database>): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like 'kysely_%' order by name`.execute(db);
  const parents = new Map<string, string[]>();
  for (const { name } of rows) {
    const fks = await sql<{ table: string }>`select "table" from pragma_foreign_key_list(${name})`.execute(db);
    parents.set(name, fks.rows.map((r) => r.table).filter((t) => t !== name));
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

async function firstNonEmpty(db: Kysely<Database>, tables: string[]): Promise<string | null> {
  for (const table of tables) {
    const { rows } = await sql<{ one: number }>`select 1 as one from ${sql.table(table)} limit 1`.execute(db);
    if (rows.length > 0) return table;
  }
  return null;
}

/** Copies one table in rowid order, a batch at a time; returns the number of rows. */
async function copyTable(source: Kysely<Database>, target: Transaction<Database>, table: string): Promise<number> {
  let last = Number.MIN_SAFE_INTEGER;
  let total = 0;
  for (;;) {
    const { rows } = await sql<Record<string, unknown> & { __rowid: number }>`select rowid as __rowid, * from ${sql.table(table)} where rowid > ${last} order by rowid limit ${COPY_BATCH_ROWS}`.execute(source);
    if (rows.length === 0) return total;
    last = rows[rows.length - 1]!.__rowid;
    const columns = Object.keys(rows[0]!).filter((c) => c !== '__rowid');
    const values = rows.map((row) => sql`(${sql.join(columns.map((c) => row[c] ?? null))})`);
    await sql`insert into ${sql.table(table)} (${sql.join(columns.map((c) => sql.ref(c)))}) values ${sql.join(values)}`.execute(target);
    total += rows.length;
    if (rows.length < COPY_BATCH_ROWS) return total;
  }
}
