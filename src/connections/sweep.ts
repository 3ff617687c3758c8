import type { Logger } from '../log.ts';
import type { ConnectionsRepository } from '../store/repositories/connections.ts';
import { ConnectionFailure } from './failures.ts';
import { REFRESH_LEASE_MS, type ClaimedRenewal, type Renewal } from './renewal.ts';

/** Renewals the sweep runs side by side; it claims this many at a time as slots free up. */
export const SWEEP_CONCURRENCY = 8;
/**
 * A claimed renewal not started within this part of its lease is given back for the next claim: by
 * then a slow service could make it outlast the lease, and another instance might renew it too.
 */
const START_WITHIN_MS = REFRESH_LEASE_MS / 2;

/**
 * The proactive renewal: every period, renew each connection whose token expires within its lead,
 * with no traffic needed. Due rows are claimed with their leases in one statement (through the
 * next-refresh index, so the cost follows the number due), a few more whenever renewals finish, and
 * renewed side by side; each renewal stores its outcome the moment its answer arrives.
 */
export async function sweepDueConnections(
  deps: { connections: ConnectionsRepository; renewal: Renewal; log: Logger },
  signal?: AbortSignal,
): Promise<{ renewed: number; failed: number }> {
  let renewed = 0;
  let failed = 0;
  // A connection renewed in this sweep that is due again at once (a token lasting seconds) waits for the next.
  const seen = new Set<string>();
  const queue: ClaimedRenewal[] = [];
  let exhausted = false;
  let claiming: Promise<void> | null = null;

  const claim = async (): Promise<void> => {
    const now = Date.now();
    const until = now + REFRESH_LEASE_MS;
    // A slot's worth for every worker: a row claimed waits at most for one renewal to end before it starts.
    const claimed = await deps.connections.claimDue(now, until, SWEEP_CONCURRENCY);
    if (claimed.length < SWEEP_CONCURRENCY) exhausted = true;
    let fresh = 0;
    for (const { row, abandonedLease } of claimed) {
      if (seen.has(row.id)) {
        await deps.connections.releaseRefreshLease(row.id, until);
        continue;
      }
      seen.add(row.id);
      queue.push({ row, until, abandonedLease });
      fresh++;
    }
    if (claimed.length > 0 && fresh === 0) exhausted = true;
  };
  const next = async (): Promise<ClaimedRenewal | undefined> => {
    while (queue.length === 0 && !exhausted && !signal?.aborted) {
      claiming ??= claim().finally(() => {
        claiming = null;
      });
      await claiming;
    }
    return queue.shift();
  };

  const worker = async () => {
    for (let claimed = await next(); claimed && !signal?.aborted; claimed = await next()) {
      if (claimed.until - Date.now() < START_WITHIN_MS) {
        await deps.connections.releaseRefreshLease(claimed.row.id, claimed.until);
        seen.delete(claimed.row.id);
        continue;
      }
      try {
        await deps.renewal.renewLeased(claimed);
        renewed++;
      } catch (error) {
        failed++;
        if (!(error instanceof ConnectionFailure))
          deps.log.error({ err: error, connectionId: claimed.row.id }, 'sweep could not renew a connection');
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: SWEEP_CONCURRENCY }, worker));
  } finally {
    // Stopped early: the leases of what was claimed but not started go back at once.
    for (const { row, until } of queue.splice(0))
      await deps.connections.releaseRefreshLease(row.id, until).catch(() => undefined);
  }
  return { renewed, failed };
}
