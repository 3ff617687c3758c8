import type { Logger } from '../log.ts';
import type { ConnectionsRepository } from '../store/repositories/connections.ts';
import { ConnectionFailure } from './failures.ts';
import type { Renewal } from './renewal.ts';

/** Connections claimed per database read, and renewed side by side. */
export const SWEEP_BATCH = 100;
export const SWEEP_CONCURRENCY = 8;

/**
 * The proactive renewal: every period, renew each connection whose token
 * expires within its lead, with no traffic needed. Due rows come from the
 * next-refresh index, so the cost follows the number due; each renewal goes
 * through the same lease as on-demand renewal, so instances never double up.
 */
export async function sweepDueConnections(
  deps: { connections: ConnectionsRepository; renewal: Renewal; log: Logger },
  signal?: AbortSignal,
): Promise<{ renewed: number; failed: number }> {
  let renewed = 0;
  let failed = 0;
  const seen = new Set<string>();
  for (;;) {
    if (signal?.aborted) break;
    const due = (await deps.connections.dueForRefresh(Date.now(), SWEEP_BATCH)).filter((r) => !seen.has(r.id));
    if (due.length === 0) break;
    for (const r of due) seen.add(r.id);
    let next = 0;
    const worker = async () => {
      while (next < due.length && !signal?.aborted) {
        const { id } = due[next++]!;
        try {
          await deps.renewal.renew(id);
          renewed++;
        } catch (error) {
          failed++;
          if (!(error instanceof ConnectionFailure))
            deps.log.error({ err: error, connectionId: id }, 'sweep could not renew a connection');
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(SWEEP_CONCURRENCY, due.length) }, worker));
    if (due.length < SWEEP_BATCH) break;
  }
  return { renewed, failed };
}
