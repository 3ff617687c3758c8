import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema.ts';

/** The only SQL about rate-limit counters: fixed windows, one row per key, shared by every instance. */
export class RateLimitsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /**
   * Counts one attempt against `key`: a new window when none is open at `now`
   * (ending at `resetAt`), else one more in the open one. One upsert, so atomic.
   */
  async hit(key: string, now: number, resetAt: number): Promise<{ count: number; resetAt: number }> {
    const row = await this.db
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
    return { count: row.count, resetAt: row.reset_at };
  }

  /** Takes back one attempt of the window still open at `now`. */
  async decrement(key: string, now: number): Promise<void> {
    await this.db
      .updateTable('rate_limits')
      .set({ count: sql<number>`rate_limits.count - 1` })
      .where('key', '=', key)
      .where('count', '>', 0)
      .where('reset_at', '>', now)
      .execute();
  }

  async delete(key: string): Promise<void> {
    await this.db.deleteFrom('rate_limits').where('key', '=', key).execute();
  }

  async deleteExpired(now: number): Promise<number> {
    const result = await this.db.deleteFrom('rate_limits').where('reset_at', '<=', now).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
