import type { ConnectionRow } from '../store/schema.ts';

/** Renew this long before expiry, or half the lifetime when that is shorter. */
export const REFRESH_LEAD_MS = 5 * 60_000;
/** First and largest wait after a failed renewal. */
export const RETRY_BASE_MS = 15_000;
export const RETRY_MAX_MS = 60 * 60_000;

/** How long before expiry a token of this lifetime is renewed. */
export function refreshLeadMs(lifetimeMs: number): number {
  return Math.min(REFRESH_LEAD_MS, Math.floor(lifetimeMs / 2));
}

/** How long before an idle lifetime lapses the grant is refreshed to keep it alive: a day, or half the window when shorter. */
export const KEEP_ALIVE_LEAD_MS = 24 * 60 * 60_000;

/**
 * When to renew a token that expires at `expiresAt`, having been issued at `issuedAt`; null when it
 * does not expire. `keepAliveBy` (an idle lifetime's end) brings the renewal forward so the grant lives on.
 */
export function nextRefreshAt(
  issuedAt: number,
  expiresAt: number | null,
  keepAliveBy: number | null = null,
): number | null {
  const forExpiry = expiresAt === null ? null : expiresAt - refreshLeadMs(Math.max(0, expiresAt - issuedAt));
  if (keepAliveBy === null) return forExpiry;
  const forIdle = keepAliveBy - Math.min(KEEP_ALIVE_LEAD_MS, Math.floor(Math.max(0, keepAliveBy - issuedAt) / 2));
  return forExpiry === null ? forIdle : Math.min(forExpiry, forIdle);
}

/** The wait after the `failures`-th failure in a row: doubling from RETRY_BASE_MS up to RETRY_MAX_MS, less up to 20%. */
export function backoffMs(failures: number, random: () => number = Math.random): number {
  const exp = Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** Math.max(0, failures - 1));
  // Up to 20% jitter so many connections failing together do not retry together.
  return Math.round(exp * (0.8 + random() * 0.2));
}

/** True when the stored token should be renewed now. */
export function isDue(row: Pick<ConnectionRow, 'expires_at' | 'next_refresh_at'>, now: number): boolean {
  // A token that does not expire is renewed only to keep its grant alive (an idle lifetime).
  if (row.expires_at === null && row.next_refresh_at === null) return false;
  const due = row.next_refresh_at ?? row.expires_at;
  return due !== null && now >= due;
}
