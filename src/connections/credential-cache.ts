import type { PlacedCredential } from '../auth/inject.ts';
import type { ResolvedConnection } from './settings.ts';

export interface CachedCredentials {
  version: number;
  teamId: string;
  /** The connection's kind and settings, resolved once for this version of its credentials. */
  resolved: ResolvedConnection;
  placed: PlacedCredential[];
  /** Entry is unusable after this time (before the token's own expiry). */
  validUntil: number;
}

/** How long an entry may live at most, so a change made by another instance is seen soon. */
export const CREDENTIAL_CACHE_TTL_MS = 60_000;

/**
 * A bounded LRU of decrypted credentials, keyed by connection id. It saves the
 * database read and the decryption on the hot path; entries expire before the
 * token does and are dropped on every change of the connection. Values are
 * never logged; on eviction the references are dropped (JS strings cannot be
 * zeroed, so the bound and the TTL limit how long plaintext stays reachable).
 */
export class CredentialCache {
  private readonly entries = new Map<string, CachedCredentials>();
  private lastUsed: string | undefined;

  constructor(private readonly capacity: number) {}

  get(connectionId: string, now: number): CachedCredentials | undefined {
    const entry = this.entries.get(connectionId);
    if (!entry) return undefined;
    if (entry.validUntil <= now) {
      this.entries.delete(connectionId);
      return undefined;
    }
    // Map keeps insertion order: re-inserting marks it most recently used (it already is when it was the last one asked for).
    if (connectionId !== this.lastUsed) {
      this.entries.delete(connectionId);
      this.entries.set(connectionId, entry);
      this.lastUsed = connectionId;
    }
    return entry;
  }

  set(connectionId: string, entry: CachedCredentials): void {
    if (this.capacity <= 0) return;
    this.entries.delete(connectionId);
    this.entries.set(connectionId, entry);
    this.lastUsed = connectionId;
    while (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
  }

  drop(connectionId: string): void {
    this.entries.delete(connectionId);
    if (this.lastUsed === connectionId) this.lastUsed = undefined;
  }

  clear(): void {
    this.entries.clear();
    this.lastUsed = undefined;
  }

  get size(): number {
    return this.entries.size;
  }
}
