import { HitchError } from '../errors.ts';
import type { Store } from '../store/database.ts';
import { verifyDummyPassword, verifyPassword } from './passwords.ts';
import { hitRateLimit, type RateLimitRule } from './rate-limit.ts';
import { sha256 } from './secret-hash.ts';
import { createSession, deleteSessionByToken, type NewSession } from './sessions.ts';
import { teamsOf } from './teams.ts';
import type { UserWithTeams } from './types.ts';
import { findUserByEmail, normalizeEmail, toUser } from './users.ts';

/** Guessing one account's password is slowed per email… */
export const SIGN_IN_PER_EMAIL: RateLimitRule = { limit: 10, windowMs: 60_000 };
/** …and spraying many accounts per address (looser: an office shares one address). */
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
  // Emails are hashed in the key so the table holds no addresses.
  const perEmail = await hitRateLimit(store.db, `sign-in:email:${sha256(email)}`, SIGN_IN_PER_EMAIL, now);
  const perIp = await hitRateLimit(store.db, `sign-in:ip:${input.ip}`, SIGN_IN_PER_IP, now);
  if (!perEmail.allowed || !perIp.allowed) {
    const resetAt = Math.max(perEmail.allowed ? 0 : perEmail.resetAt, perIp.allowed ? 0 : perIp.resetAt);
    throw new HitchError('rate_limited', { details: { retryAfterSeconds: Math.max(1, Math.ceil((resetAt - now) / 1000)) } });
  }

  const row = await findUserByEmail(store.db, email);
  const valid = row ? await verifyPassword(input.password, row.password_hash) : await verifyDummyPassword(input.password);
  if (!row || !valid) throw new HitchError('invalid_credentials');

  if (input.previousSessionToken) await deleteSessionByToken(store.db, input.previousSessionToken);
  const session = await createSession(store.db, row.id, now);
  return { user: toUser(row), teams: await teamsOf(store.db, row.id), session };
}
