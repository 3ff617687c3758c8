import { randomToken } from '../ids.ts';
import type { Store } from '../store/database.ts';
import { accountRepositories } from '../store/repositories/index.ts';
import { sha256 } from './secret-hash.ts';

/** A session ends after this long without a request… */
export const SESSION_IDLE_MS = 7 * 24 * 60 * 60 * 1000;
/** …and in any case this long after sign-in. */
export const SESSION_MAX_AGE_MS = 30 * 24 * 60 * 60 * 1000;
/** Sliding the expiry is a write; do it at most this often per session. */
const SESSION_TOUCH_INTERVAL_MS = 60 * 1000;

export interface NewSession {
  /** Goes into the cookie; only its SHA-256 is stored. */
  token: string;
  id: string;
  expiresAt: number;
}

export interface ActiveSession {
  id: string;
  userId: string;
}

export async function createSession(store: Store, userId: string, now = Date.now()): Promise<NewSession> {
  const token = randomToken(32);
  const id = sha256(token);
  const expiresAt = Math.min(now + SESSION_IDLE_MS, now + SESSION_MAX_AGE_MS);
  await accountRepositories(store).sessions.insert({
    id,
    user_id: userId,
    created_at: now,
    last_seen_at: now,
    expires_at: expiresAt,
  });
  return { token, id, expiresAt };
}

/** The session a cookie's token stands for, sliding its expiry; null when unknown or expired. */
export async function resolveSession(store: Store, token: string, now = Date.now()): Promise<ActiveSession | null> {
  const { sessions } = accountRepositories(store);
  const id = sha256(token);
  const row = await sessions.byId(id);
  if (!row || row.expires_at <= now || row.created_at + SESSION_MAX_AGE_MS <= now) return null;
  if (now - row.last_seen_at >= SESSION_TOUCH_INTERVAL_MS) {
    const expiresAt = Math.min(now + SESSION_IDLE_MS, row.created_at + SESSION_MAX_AGE_MS);
    await sessions.touch(id, now, expiresAt);
  }
  return { id, userId: row.user_id };
}

export async function deleteSessionByToken(store: Store, token: string): Promise<void> {
  await accountRepositories(store).sessions.delete(sha256(token));
}

/** Signs the user out everywhere except `keepSessionId` (null: everywhere). */
export async function deleteOtherSessions(store: Store, userId: string, keepSessionId: string | null): Promise<void> {
  await accountRepositories(store).sessions.deleteOfUser(userId, keepSessionId);
}

export async function deleteExpiredSessions(store: Store, now = Date.now()): Promise<number> {
  return accountRepositories(store).sessions.deleteExpired(now, now - SESSION_MAX_AGE_MS);
}
