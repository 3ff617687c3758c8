import type { Invalidation } from '../store/invalidations.ts';
import type { ResolvedApiToken } from './api-tokens.ts';
import type { TeamMembership, User } from './types.ts';

/**
 * How long an API token's principal (the token, its user, their teams) is kept
 * in memory. Revoking the token and changing the user's memberships drop it on
 * every instance at once (store/invalidations.ts); this bounds what nothing
 * announces, such as a team's new name.
 */
export const PRINCIPAL_TTL_MS = 30_000;
const PRINCIPAL_CACHE_MAX = 10_000;

/** Who a bearer token speaks for, as authentication needs it on every request. */
export interface TokenPrincipal {
  token: ResolvedApiToken;
  user: User;
  teams: TeamMembership[];
}

interface Entry {
  principal: TokenPrincipal;
  until: number;
}

/**
 * Principals by token hash, so the proxy's hot path reads nothing from the
 * database for a token seen in the last 30 seconds. An entry ends at the TTL,
 * at the token's own expiry, or when an invalidation names its user or token.
 */
export class PrincipalCache {
  private readonly entries = new Map<string, Entry>();
  /** Counts invalidations, so a principal read while one arrived is not kept (it may predate it). */
  private generation = 0;

  /** Take before reading a principal; `set` keeps it only if nothing was invalidated meanwhile. */
  mark(): number {
    return this.generation;
  }

  get(tokenHash: string, now: number): TokenPrincipal | undefined {
    const entry = this.entries.get(tokenHash);
    if (!entry) return undefined;
    if (entry.until <= now) {
      this.entries.delete(tokenHash);
      return undefined;
    }
    return entry.principal;
  }

  set(tokenHash: string, principal: TokenPrincipal, now: number, mark: number): void {
    if (mark !== this.generation) return;
    if (this.entries.size >= PRINCIPAL_CACHE_MAX) this.entries.clear();
    const expiresAt = principal.token.expiresAt ?? Number.POSITIVE_INFINITY;
    this.entries.set(tokenHash, { principal, until: Math.min(now + PRINCIPAL_TTL_MS, expiresAt) });
  }

  invalidate(message: Invalidation | 'all'): void {
    if (message !== 'all' && message.kind === 'webhook') return;
    this.generation++;
    if (message === 'all') {
      this.entries.clear();
      return;
    }
    for (const [hash, { principal }] of this.entries) {
      if (message.kind === 'user' ? principal.user.id === message.userId : principal.token.tokenId === message.tokenId)
        this.entries.delete(hash);
    }
  }
}
