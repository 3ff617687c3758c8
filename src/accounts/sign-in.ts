import { HitchError } from '../errors.ts';
import type { Store } from '../store/database.ts';
import { verifyDummyPassword, verifyPassword } from './passwords.ts';
import { throttledPasswordCheck } from './password-attempts.ts';
import { hitRateLimit, type RateLimitRule } from './rate-limit.ts';
import { createSession, deleteSessionByToken, type NewSession } from './sessions.ts';
import { teamsOf } from './teams.ts';
import type { UserWithTeams } from './types.ts';
import { findUserByEmail, normalizeEmail, toUser } from './users.ts';

/**
 * Spraying many accounts from one address is limited per address, every attempt
 * counted (loose: an office shares one address; behind a proxy, set
 * HITCH_TRUST_PROXY so the address is the client's). Guessing one account's
 * password is throttled in ./password-attempts.ts.
 */
export const SIGN_IN_PER_IP: RateLimitRule = { limit: 30, windowMs: 60_000 };

export interface SignInInput {
  email: string;
  password: string;
  ip: string;
  /** The session cookie the browser already had: ended, so sign-in always starts a fresh session. */
  previousSessionToken?: string | undefined;
}

export async function signIn(store: Store, input: SignInInput): Promise<UserWithTeams & { session: NewSession }> {
  const email = normalizeEmail(input.email);
  const now = Date.now();
  const perIp = await hitRateLimit(store, `sign-in:ip:${input.ip}`, SIGN_IN_PER_IP, now);
  if (!perIp.allowed)
    throw new HitchError('rate_limited', {
      details: { retryAfterSeconds: Math.max(1, Math.ceil((perIp.resetAt - now) / 1000)) },
    });

  // An unknown e-mail costs the same hash and the same throttle, so the answer tells nothing.
  const row = await findUserByEmail(store, email);
  const valid = await throttledPasswordCheck(
    store,
    { email, address: input.ip },
    () => (row ? verifyPassword(input.password, row.password_hash) : verifyDummyPassword(input.password)),
    now,
  );
  if (!row || !valid) throw new HitchError('invalid_credentials');

  if (input.previousSessionToken) await deleteSessionByToken(store, input.previousSessionToken);
  const session = await createSession(store, row.id);
  return { user: toUser(row), teams: await teamsOf(store, row.id), session };
}
