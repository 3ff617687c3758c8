import type { Kysely } from 'kysely';
import { newId, randomToken } from '../ids.ts';
import type { Store } from '../store/database.ts';
import type { Database } from '../store/schema.ts';
import { sha256 } from './secret-hash.ts';
import type { PageRequest } from './types.ts';

/** Every personal API token starts with this, so secret scanners and people recognise one. */
export const API_TOKEN_PREFIX = 'hitch_';
/** Recording use is a write; do it at most this often per token. */
const LAST_USED_RESOLUTION_MS = 60 * 1000;

export interface ApiTokenInfo {
  id: string;
  name: string;
  createdAt: number;
  lastUsedAt: number | null;
}

/** Creates a token. The returned `token` is the only time it exists outside the caller's hands. */
export async function createApiToken(db: Kysely<Database>, userId: string, name: string): Promise<ApiTokenInfo & { token: string }> {
  const now = Date.now();
  const id = newId(now);
  const token = `${API_TOKEN_PREFIX}${randomToken(32)}`;
  await db.insertInto('api_tokens').values({ id, user_id: userId, name, token_hash: sha256(token), created_at: now, last_used_at: null }).execute();
  return { id, name, token, createdAt: now, lastUsedAt: null };
}

export async function listApiTokens(db: Kysely<Database>, userId: string, page: PageRequest): Promise<ApiTokenInfo[]> {
  let query = db
    .selectFrom('api_tokens')
    .select(['id', 'name', 'created_at as createdAt', 'last_used_at as lastUsedAt'])
    .where('user_id', '=', userId)
    .orderBy('id')
    .limit(page.limit);
  if (page.cursor) query = query.where('id', '>', page.cursor);
  return query.execute();
}

/** False when the user has no token with this id (someone else's token included). */
export async function revokeApiToken(db: Kysely<Database>, userId: string, id: string): Promise<boolean> {
  const result = await db.deleteFrom('api_tokens').where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** The user a bearer token belongs to, or null when it is unknown or revoked. */
export async function resolveApiToken(store: Store, token: string, now = Date.now()): Promise<{ tokenId: string; userId: string } | null> {
  if (!token.startsWith(API_TOKEN_PREFIX)) return null;
  const { db } = store;
  // Every proxied call authenticates this way: a prepared point read, not a compiled query.
  const row = (await store.point.byId('api_tokens', 'token_hash', sha256(token), ['id', 'user_id', 'last_used_at'])) as { id: string; user_id: string; last_used_at: number | null } | undefined;
  if (!row) return null;
  if (row.last_used_at === null || now - row.last_used_at >= LAST_USED_RESOLUTION_MS) {
    await db.updateTable('api_tokens').set({ last_used_at: now }).where('id', '=', row.id).execute();
  }
  return { tokenId: row.id, userId: row.user_id };
}
