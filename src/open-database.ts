import { ConfigError, type Config } from './config.ts';
import { openStore, type Store } from './store/database.ts';

function reasonOf(error: unknown): string {
  const { message, code } = error as { message?: string; code?: string };
  if (code === 'ECONNREFUSED') return 'the connection was refused (is PostgreSQL running there?)';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'the host name is unknown';
  return String(message ?? error).split('\n', 1)[0] ?? 'unknown error';
}

/** Where the database is, without credentials, for messages. */
function whereIs(database: Config['database']): string {
  if (database.kind === 'sqlite') return `the SQLite database ${database.file}`;
  const url = new URL(database.url);
  return `PostgreSQL at ${url.hostname}:${url.port || 5432}${url.pathname}`;
}

/**
 * Opens the store and applies migrations. A database that cannot be reached or
 * opened is a configuration problem, reported as one line naming the variable
 * (DATABASE_URL, or DATA_DIR for the default SQLite file).
 */
export async function openDatabase(
  config: Pick<Config, 'database'>,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Store> {
  const variable = config.database.kind === 'sqlite' && !env.DATABASE_URL ? 'DATA_DIR' : 'DATABASE_URL';
  let opened: Store | undefined;
  try {
    opened = openStore(config.database);
    await opened.probe();
  } catch (error) {
    // The pool may hold a half-open client; closing is best-effort.
    await opened?.close().catch(() => {});
    throw new ConfigError(variable, `cannot open ${whereIs(config.database)}: ${reasonOf(error)}`);
  }
  const store = opened;
  try {
    await store.migrate();
  } catch (error) {
    await store.close().catch(() => {});
    throw error;
  }
  return store;
}
