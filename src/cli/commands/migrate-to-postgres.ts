import type { Config } from '../../config.ts';
import { copyTables, firstNonEmptyTable, sqliteTablesInCopyOrder } from '../../store/copy-tables.ts';
import { openStore, type Store } from '../../store/database.ts';

export { COPY_BATCH_ROWS } from '../../store/copy-tables.ts';

export const MIGRATE_TO_POSTGRES_USAGE = 'migrate-to-postgres --to <postgres://user:password@host:5432/database>';

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
    write(
      'The database Hitch uses now is not SQLite: run this with DATA_DIR (or DATABASE_URL=sqlite:…) naming the SQLite database to copy.',
    );
    return 1;
  }

  const destination = openStore({ kind: 'postgres', url: target });
  try {
    await destination.migrate();
    const tables = await sqliteTablesInCopyOrder(ctx.source);
    const occupied = await firstNonEmptyTable(destination, tables);
    if (occupied) {
      write(
        `The target database already holds data (table ${occupied} has rows): Hitch copies only into an empty database. Create a new one, or empty this one, and run again.`,
      );
      return 1;
    }
    const copied = await copyTables(ctx.source, destination, tables);
    for (const [table, count] of copied) write(`${table}: ${count} row${count === 1 ? '' : 's'}`);
    write(`Copied ${copied.reduce((sum, [, n]) => sum + n, 0)} rows to ${describe(target)}.`);
    write(
      'Next: start Hitch with DATABASE_URL set to that database and the same HITCH_MASTER_KEY (or master.key file).',
    );
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
