import { loadConfig, type Config } from '../config.ts';
import { failureLine } from '../failure-line.ts';
import { openDatabase } from '../open-database.ts';
import type { Store } from '../store/database.ts';
import { openVault } from '../vault/vault.ts';
import { APPS_USAGE, appsCommand } from './commands/apps.ts';
import { configCommand } from './commands/config.ts';
import { CREATE_USER_USAGE, createUserCommand } from './commands/create-user.ts';
import { keysCommand } from './commands/keys.ts';
import { MIGRATE_TO_POSTGRES_USAGE, migrateToPostgresCommand } from './commands/migrate-to-postgres.ts';

const USAGE = `Usage: npm run hitch -- <command>

  ${CREATE_USER_USAGE}
        create a user with a team of their own (a password is generated when none is given)
  config
        print the effective configuration, secrets masked
  keys <status|rotate|reencrypt|rewrap>
        manage the encryption keys (see: npm run hitch -- keys)
  ${APPS_USAGE}
        check a folder of app files, every problem listed (no server, no database);
        list the catalog's apps by kind of connection and category
  ${MIGRATE_TO_POSTGRES_USAGE}
        copy every row of the SQLite database into an empty PostgreSQL database, secrets still encrypted
`;

async function withStore<T>(config: Config, fn: (store: Store) => Promise<T>): Promise<T> {
  const store = await openDatabase(config);
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

/** Runs one command and returns the exit code; every failure is one line on stderr. */
export async function runCli(
  argv: string[],
  io: { out: NodeJS.WritableStream; err: NodeJS.WritableStream; env: NodeJS.ProcessEnv },
): Promise<number> {
  const [command, ...args] = argv;
  try {
    switch (command) {
      case 'create-user': {
        const config = loadConfig(io.env);
        return await withStore(config, (store) => createUserCommand(args, { store, out: io.out }));
      }
      case 'config':
        return await configCommand(loadConfig(io.env), io.out);
      case 'keys': {
        const config = loadConfig(io.env);
        return await withStore(config, async (store) => {
          // No periodic reload: the command is short, and it must not keep the process alive.
          const vault = await openVault(config, store, { reloadIntervalMs: 0 });
          try {
            return await keysCommand(args, { config, store, vault, out: io.out });
          } finally {
            vault.close();
          }
        });
      }
      case 'apps':
        return appsCommand(args, { config: () => loadConfig(io.env), out: io.out });
      case 'migrate-to-postgres': {
        const config = loadConfig(io.env);
        return await withStore(config, (source) => migrateToPostgresCommand(args, { config, source, out: io.out }));
      }
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        io.out.write(USAGE);
        return command === undefined ? 1 : 0;
      default:
        io.err.write(`hitch: unknown command "${command}"; run npm run hitch -- help for the list\n`);
        return 1;
    }
  } catch (error) {
    io.err.write(`${failureLine(error)}\n`);
    return 1;
  }
}
