import type { Kysely } from 'kysely';
import { randomToken } from '../ids.ts';
import type { Database } from '../store/schema.ts';
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

export async function createSession(db: Kysely<Database>, userId: string, now = Date.now()): Promise<NewSession> {
  const token = randomToken(32);
  const id = sha256(token);
  const expiresAt = Math.min(now + SESSION_IDLE_MS, now + SESSION_MAX_AGE_MS);
  await db.insertInto('sessions').values({ id, user_id: userId, created_at: now, last_seen_at: now, expires_at: expiresAt }).execute();
  return { token, id, expiresAt };
}

/** The session a cookie's token stands for, sliding its expiry; null when unknown or expired. */
export async function resolveSession(db: Kysely<Database>, token: string, now = Date.now()): Promise<ActiveSession | null> {
  const id = sha256(token);
  const row = await db.selectFrom('sessions').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row || row.expires_at <= now || row.created_at + SESSION_MAX_AGE_MS <= now) return null;
  if (now - row.last_seen_at >= SESSION_TOUCH_INTERVAL_MS) {
    const expiresAt = Math.min(now + SESSION_IDLE_MS, row.created_at + SESSION_MAX_AGE_MS);
    await db.updateTable('sessions').set({ last_seen_at: now, expires_at: expiresAt }).where('id', '=', id).execute();
  }
  return { id, userId: row.user_id };
}

export async function deleteSessionByToken(db: Kysely<Database>, token: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', sha256(token)).execute();
}

/** Signs the user out everywhere except `keepSessionId` (null: everywhere). */
export async function deleteOtherSessions(db: Kysely<Database>, userId: string, keepSessionId: string | null): Promise<void> {
  let query = db.deleteFrom('sessions').where('user_id', '=', userId);
  if (keepSessionId) query = query.where('id', '!=', keepSessionId);
  await query.execute();
}

export async function deleteExpiredSessions(db: Kysely<Database>, now = Date.now()): Promise<number> {
  const result = await db
    .deleteFrom('sessions')
    .where((eb) => eb.or([eb('expires_at', '<=', now), eb('created_at', '<=', now - SESSION_MAX_AGE_MS)]))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
