import { newId, randomToken } from '../ids.ts';
import type { Store } from '../store/database.ts';
import { accountRepositories } from '../store/repositories/index.ts';
import { sha256 } from './secret-hash.ts';
import { parseRestriction, type TokenRestriction } from './token-restrictions.ts';
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
  expiresAt: number | null;
  /** Null: the user's full rights. */
  restrictions: TokenRestriction | null;
}

/** Who a bearer token speaks for, and within what. */
export interface ResolvedApiToken {
  tokenId: string;
  userId: string;
  name: string;
  restriction: TokenRestriction | null;
  /** When it stops working; null: never. */
  expiresAt: number | null;
}

/** Creates a token. The returned `token` is the only time it exists outside the caller's hands. */
export async function createApiToken(
  store: Store,
  userId: string,
  name: string,
  options: { restriction?: TokenRestriction | null; expiresAt?: number | null } = {},
): Promise<ApiTokenInfo & { token: string }> {
  const now = Date.now();
  const id = newId(now);
  const token = `${API_TOKEN_PREFIX}${randomToken(32)}`;
  const restrictions = options.restriction ?? null;
  const expiresAt = options.expiresAt ?? null;
  await accountRepositories(store).apiTokens.insert({
    id,
    user_id: userId,
    name,
    token_hash: sha256(token),
    created_at: now,
    last_used_at: null,
    expires_at: expiresAt,
    restrictions: restrictions === null ? null : JSON.stringify(restrictions),
  });
  return { id, name, token, createdAt: now, lastUsedAt: null, expiresAt, restrictions };
}

export async function listApiTokens(store: Store, userId: string, page: PageRequest): Promise<ApiTokenInfo[]> {
  const rows = await accountRepositories(store).apiTokens.listOfUser(userId, page);
  return rows.map(({ restrictions, ...row }) => ({ ...row, restrictions: parseRestriction(restrictions) }));
}

/** False when the user has no token with this id (someone else's token included). */
export async function revokeApiToken(store: Store, userId: string, id: string): Promise<boolean> {
  return accountRepositories(store).apiTokens.deleteOfUser(userId, id);
}

/** A stored token as authentication and later calls on its behalf read it. */
function resolved(row: {
  id: string;
  user_id: string;
  name: string;
  restrictions: string | null;
  expires_at: number | null;
}): ResolvedApiToken {
  return {
    tokenId: row.id,
    userId: row.user_id,
    name: row.name,
    restriction: parseRestriction(row.restrictions),
    expiresAt: row.expires_at,
  };
}

/** A token by id as it stands now: null once it was revoked or expired. */
export async function apiTokenById(store: Store, id: string, now = Date.now()): Promise<ResolvedApiToken | null> {
  const row = await accountRepositories(store).apiTokens.byId(id);
  if (!row || (row.expires_at !== null && row.expires_at <= now)) return null;
  return resolved(row);
}

/** The user a bearer token belongs to and its restriction, or null when it is unknown, revoked or expired. */
export async function resolveApiToken(store: Store, token: string, now = Date.now()): Promise<ResolvedApiToken | null> {
  if (!token.startsWith(API_TOKEN_PREFIX)) return null;
  const { apiTokens } = accountRepositories(store);
  const row = await apiTokens.byHash(sha256(token));
  if (!row) return null;
  if (row.expires_at !== null && row.expires_at <= now) return null;
  if (row.last_used_at === null || now - row.last_used_at >= LAST_USED_RESOLUTION_MS)
    await apiTokens.markUsed(row.id, now);
  return resolved(row);
}
