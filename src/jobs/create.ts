import type { Config } from '../config.ts';
import type { Logger } from '../log.ts';
import { createInProcessJobs } from './in-process.ts';
import { createPgBossJobs } from './pg-boss.ts';
import type { Jobs } from './types.ts';

/**
 * The jobs runner the database calls for: pg-boss on PostgreSQL (jobs done once
 * across every instance), in this process on SQLite (one instance).
 * HITCH_ROLE=web runs no handlers; on PostgreSQL it still queues jobs for the workers.
 */
export function createJobs(config: Pick<Config, 'database' | 'role'>, log: Logger): Jobs {
  if (config.database.kind === 'postgres') {
    return createPgBossJobs({ connectionString: config.database.url, log, runWorkers: config.role !== 'web' });
  }
  return createInProcessJobs({ log });
}

/** Starts what this role runs: on SQLite a web-only process has nothing to start. */
export async function startJobs(jobs: Jobs, config: Pick<Config, 'database' | 'role'>): Promise<void> {
  if (config.database.kind === 'postgres' || config.role !== 'web') await jobs.start();
}
