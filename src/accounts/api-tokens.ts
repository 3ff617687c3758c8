import { newId, randomToken } from '../ids.ts';
import type { Store } from '../store/database.ts';
import { accountRepositories } from '../store/repositories/index.ts';
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
export async function createApiToken(
  store: Store,
  userId: string,
  name: string,
): Promise<ApiTokenInfo & { token: string }> {
  const now = Date.now();
  const id = newId(now);
  const token = `${API_TOKEN_PREFIX}${randomToken(32)}`;
  await accountRepositories(store).apiTokens.insert({
    id,
    user_id: userId,
    name,
    token_hash: sha256(token),
    created_at: now,
    last_used_at: null,
  });
  return { id, name, token, createdAt: now, lastUsedAt: null };
}

export async function listApiTokens(store: Store, userId: string, page: PageRequest): Promise<ApiTokenInfo[]> {
  return accountRepositories(store).apiTokens.listOfUser(userId, page);
}

/** False when the user has no token with this id (someone else's token included). */
export async function revokeApiToken(store: Store, userId: string, id: string): Promise<boolean> {
  return accountRepositories(store).apiTokens.deleteOfUser(userId, id);
}

/** The user a bearer token belongs to, or null when it is unknown or revoked. */
export async function resolveApiToken(
  store: Store,
  token: string,
  now = Date.now(),
): Promise<{ tokenId: string; userId: string } | null> {
  if (!token.startsWith(API_TOKEN_PREFIX)) return null;
  const { apiTokens } = accountRepositories(store);
  const row = await apiTokens.byHash(sha256(token));
  if (!row) return null;
  if (row.last_used_at === null || now - row.last_used_at >= LAST_USED_RESOLUTION_MS)
    await apiTokens.markUsed(row.id, now);
  return { tokenId: row.id, userId: row.user_id };
}
