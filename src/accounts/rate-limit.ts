import type { Store } from '../store/database.ts';
import { accountRepositories } from '../store/repositories/index.ts';

export interface RateLimitRule {
  limit: number;
  windowMs: number;
}

export interface RateLimitResult {
  allowed: boolean;
  /** Attempts counted in this window, this one included. */
  count: number;
  /** When the window ends, ms since the epoch. */
  resetAt: number;
}

/**
 * Counts one attempt against `key` in a fixed window. The counter lives in the
 * database, so every instance sees the same count; one upsert keeps it atomic.
 */
export async function hitRateLimit(
  store: Store,
  key: string,
  rule: RateLimitRule,
  now = Date.now(),
): Promise<RateLimitResult> {
  const { count, resetAt } = await accountRepositories(store).rateLimits.hit(key, now, now + rule.windowMs);
  return { allowed: count <= rule.limit, count, resetAt };
}

/** Takes back one attempt counted against `key` in its current window (an attempt that turned out to be legitimate). */
export async function forgiveAttempt(store: Store, key: string, now = Date.now()): Promise<void> {
  await accountRepositories(store).rateLimits.decrement(key, now);
}

/** Forgets every attempt counted against `key`. */
export async function clearRateLimit(store: Store, key: string): Promise<void> {
  await accountRepositories(store).rateLimits.delete(key);
}

export async function deleteExpiredRateLimits(store: Store, now = Date.now()): Promise<number> {
  return accountRepositories(store).rateLimits.deleteExpired(now);
}
