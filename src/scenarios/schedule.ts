import type { Logger } from '../log.ts';
import type { ScenariosRepository } from '../store/repositories/scenarios.ts';
import type { Runner } from './runner.ts';

/** Due scenarios claimed per sweep; the rest wait for the next one. */
const SWEEP_BATCH = 50;
/** Runs at once within one sweep, so one slow service does not hold up the others. */
const SWEEP_CONCURRENCY = 4;
const MINUTE_MS = 60_000;

/**
 * Runs the scenarios whose time has come. Each is claimed by moving its
 * `next_run_at` on with a conditional update, so instances sharing a database
 * never run the same one twice; the next time counts from now, so a long
 * downtime gives one run, not a storm of catch-ups.
 */
export async function runDueScenarios(
  deps: { scenarios: ScenariosRepository; runner: Runner; log: Logger },
  signal?: AbortSignal,
  now = Date.now(),
): Promise<number> {
  const due = await deps.scenarios.due(now, SWEEP_BATCH);
  let ran = 0;
  for (let i = 0; i < due.length && !signal?.aborted; i += SWEEP_CONCURRENCY) {
    await Promise.all(
      due.slice(i, i + SWEEP_CONCURRENCY).map(async ({ id, next_run_at }) => {
        const row = await deps.scenarios.byId(id);
        if (!row || row.interval_minutes === null || next_run_at === null) return;
        if (!(await deps.scenarios.claimRun(id, next_run_at, Date.now() + row.interval_minutes * MINUTE_MS))) return;
        try {
          await deps.runner.run(row, { trigger: 'schedule', actor: 'system', ...(signal ? { signal } : {}) });
          ran += 1;
        } catch (error) {
          deps.log.error({ err: error, scenarioId: id }, 'scheduled run failed');
        }
      }),
    );
  }
  return ran;
}
