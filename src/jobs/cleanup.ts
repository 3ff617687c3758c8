import { deleteExpiredRateLimits } from '../accounts/rate-limit.ts';
import { deleteExpiredSessions } from '../accounts/sessions.ts';
import type { Store } from '../store/database.ts';
import { accountRepositories } from '../store/repositories/index.ts';
import type { Jobs } from './types.ts';

export const CLEANUP_INTERVAL_MS = 10 * 60 * 1000;

export interface CleanupResult {
  sessions: number;
  oauthFlows: number;
  rateLimits: number;
}

/** Deletes rows that can no longer be used: expired sessions, OAuth flows and rate-limit windows. */
export async function deleteExpiredRows(store: Store, now = Date.now()): Promise<CleanupResult> {
  const sessions = await deleteExpiredSessions(store, now);
  const oauthFlows = await accountRepositories(store).oauthFlows.deleteExpired(now);
  const rateLimits = await deleteExpiredRateLimits(store, now);
  return { sessions, oauthFlows, rateLimits };
}

export function registerCleanup(jobs: Jobs, store: Store): void {
  jobs.every('cleanup-expired-rows', CLEANUP_INTERVAL_MS, async () => {
    await deleteExpiredRows(store);
  });
}
