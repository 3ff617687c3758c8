import { setTimeout as sleep } from 'node:timers/promises';
import { HitchError } from '../errors.ts';
import type { Store } from '../store/database.ts';
import { clearRateLimit, forgiveAttempt, hitRateLimit, type RateLimitRule } from './rate-limit.ts';
import { sha256 } from './secret-hash.ts';

/**
 * Every check of a password — sign-in, and the current password of a password
 * change — goes through one throttle, on shared counters, so neither is a way
 * around the other. It follows the OWASP Authentication Cheat Sheet: a lockout
 * an attacker can trigger is a denial of service, so nothing here refuses the
 * right password to a client that has not been failing.
 *
 * - Per (e-mail, client address): after `PASSWORD_FAILURES_PER_CLIENT.limit`
 *   failures in the window, that client gets 429 for this e-mail, right
 *   password or not, until the window ends. Other clients are not affected.
 * - Per e-mail, from anywhere: after `SLOW_DOWN.free` failures in the window,
 *   every attempt on the e-mail waits before its password is checked, the wait
 *   doubling with each further failure up to `SLOW_DOWN.maxDelayMs`. The owner
 *   gets in, a little later; a guesser gets few guesses per minute.
 *
 * An attempt is counted before its password is checked and taken back when it
 * succeeds, so concurrent guesses cannot all slip in under the limit. Counters
 * live in the database (every instance shares them); e-mails and addresses are
 * hashed in the keys, so the table holds neither.
 */
export const PASSWORD_FAILURES_PER_CLIENT: RateLimitRule = { limit: 5, windowMs: 15 * 60_000 };
export const SLOW_DOWN = { free: 5, windowMs: 15 * 60_000, firstDelayMs: 200, maxDelayMs: 5_000 } as const;

/** The wait before checking a password when `failures` attempts on the e-mail have failed in the window. */
export function slowDownMs(failures: number): number {
  if (failures < SLOW_DOWN.free) return 0;
  // Past 2^20 the doubling only overflows; the bound has long been reached.
  return Math.min(SLOW_DOWN.firstDelayMs * 2 ** Math.min(failures - SLOW_DOWN.free, 20), SLOW_DOWN.maxDelayMs);
}

export interface PasswordAttempt {
  /** Normalized e-mail of the account the password is for (known or not). */
  email: string;
  /** The client's address (request.ip: behind HITCH_TRUST_PROXY, the client's, not the proxy's). */
  address: string;
}

/** Runs `check` (true when the password is right) under the throttle; throws `rate_limited` for a client that has failed too often. */
export async function throttledPasswordCheck(
  store: Store,
  attempt: PasswordAttempt,
  check: () => Promise<boolean>,
  now = Date.now(),
): Promise<boolean> {
  const clientKey = `password:client:${sha256(`${attempt.email}\n${attempt.address}`)}`;
  const accountKey = `password:account:${sha256(attempt.email)}`;
  const client = await hitRateLimit(store, clientKey, PASSWORD_FAILURES_PER_CLIENT, now);
  if (!client.allowed) {
    throw new HitchError('rate_limited', {
      message: 'Too many wrong passwords from here: wait a few minutes and try again.',
      details: { retryAfterSeconds: Math.max(1, Math.ceil((client.resetAt - now) / 1000)) },
    });
  }
  const account = await hitRateLimit(
    store,
    accountKey,
    { limit: Number.MAX_SAFE_INTEGER, windowMs: SLOW_DOWN.windowMs },
    now,
  );
  const wait = slowDownMs(account.count - 1);
  if (wait > 0) await sleep(wait);
  const valid = await check();
  if (valid) {
    await clearRateLimit(store, clientKey);
    await forgiveAttempt(store, accountKey);
  }
  return valid;
}
