import { sql, type Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';

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
export async function hitRateLimit(db: Kysely<Database>, key: string, rule: RateLimitRule, now = Date.now()): Promise<RateLimitResult> {
  const resetAt = now + rule.windowMs;
  const row = await db
    .insertInto('rate_limits')
    .values({ key, count: 1, reset_at: resetAt })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({
        count: sql<number>`case when rate_limits.reset_at <= ${now} then 1 else rate_limits.count + 1 end`,
        reset_at: sql<number>`case when rate_limits.reset_at <= ${now} then ${resetAt} else rate_limits.reset_at end`,
      }),
    )
    .returning(['count', 'reset_at'])
    .executeTakeFirstOrThrow();
  return { allowed: Number(row.count) <= rule.limit, count: Number(row.count), resetAt: Number(row.reset_at) };
}

/** Takes back one attempt counted against `key` in its current window (an attempt that turned out to be legitimate). */
export async function forgiveAttempt(db: Kysely<Database>, key: string, now = Date.now()): Promise<void> {
  await db
    .updateTable('rate_limits')
    .set({ count: sql<number>`rate_limits.count - 1` })
    .where('key', '=', key)
    .where('count', '>', 0)
    .where('reset_at', '>', now)
    .execute();
}

/** Forgets every attempt counted against `key`. */
export async function clearRateLimit(db: Kysely<Database>, key: string): Promise<void> {
  await db.deleteFrom('rate_limits').where('key', '=', key).execute();
}

export async function deleteExpiredRateLimits(db: Kysely<Database>, now = Date.now()): Promise<number> {
  const result = await db.deleteFrom('rate_limits').where('reset_at', '<=', now).executeTakeFirst();
  return Number(result.numDeletedRows);
}
