import type { PlacedCredential } from '../auth/inject.ts';
import { HitchError } from '../errors.ts';
import type { ConnectionsRepository, CredentialsRow } from '../store/repositories/connections.ts';
import type { ConnectionRow } from '../store/schema.ts';
import type { Vault } from '../vault/types.ts';
import { CREDENTIAL_CACHE_TTL_MS, type CredentialCache } from './credential-cache.ts';
import { ConnectionFailure } from './failures.ts';
import { secretContext, type ConnectionSecrets } from './model.ts';
import { isDue } from './refresh-timing.ts';
import type { Renewal } from './renewal.ts';
import type { ConnectionSettings, ResolvedConnection } from './settings.ts';

/** What a caller needs to make a request through a connection. */
export interface Credentials {
  connectionId: string;
  /** The owning team, so callers that hold only an id (the proxy) can check access without a read. */
  teamId: string;
  /** Pass back as `staleVersion` after a 401 so exactly one renewal follows. */
  version: number;
  /** False for kinds that cannot renew (API keys, Basic): a 401 is passed on instead of retried. */
  renewable: boolean;
  /** A 401 (confirmed by the verify request) means these credentials are gone: pass the version to `refusedWith401`. */
  lostOn401: boolean;
  placed: PlacedCredential[];
  baseUrl: string | undefined;
  /** Hosts besides the base URL's that may receive these credentials. */
  allowedHosts: string[];
  /** The connection's kind and settings they were placed with (Verify reads its request there). */
  resolved: ResolvedConnection;
}

/**
 * The token path: `get(connectionId)` returns usable credentials, renewing first
 * when the token is due. Every caller — the proxy, scenario runs, verify — goes
 * through here, so renewal, retry-after-401 and caching live in one place. The
 * connection's settings are resolved once per credentials version and cached
 * with the placed credentials.
 */
export class CredentialProvider {
  constructor(
    private readonly deps: {
      connections: ConnectionsRepository;
      vault: Vault;
      renewal: Renewal;
      settings: ConnectionSettings;
      cache: CredentialCache;
    },
  ) {}

  get cache(): CredentialCache {
    return this.deps.cache;
  }

  /**
   * Usable credentials for the connection. `staleVersion`: the version that the
   * service just refused with a 401 — forces one renewal unless another caller
   * already renewed since.
   */
  async get(connectionId: string, options: { staleVersion?: number } = {}): Promise<Credentials> {
    const now = Date.now();
    if (options.staleVersion === undefined) {
      const hit = this.cached(connectionId, now);
      if (hit) return hit;
    }

    const read = this.deps.connections.credentialsById(connectionId);
    let row: CredentialsRow | undefined = read instanceof Promise ? await read : read;
    if (!row) throw new HitchError('not_found', { message: 'This connection does not exist.' });
    assertUsable(row);

    let resolved: ResolvedConnection | undefined;
    let secrets: ConnectionSecrets | undefined;
    if (options.staleVersion !== undefined || isDue(row, now)) {
      try {
        ({ row, resolved, secrets } = await this.deps.renewal.renew(connectionId, options));
      } catch (error) {
        if (!(error instanceof ConnectionFailure)) throw error;
        const current = await this.deps.connections.byId(connectionId);
        // A failed renewal of a token that still works is not the caller's problem (until it lapses).
        const stillWorks =
          current &&
          current.status === 'active' &&
          (current.expires_at === null || current.expires_at > Date.now()) &&
          options.staleVersion === undefined;
        if (!stillWorks) throw error;
        row = current;
      }
      assertUsable(row);
    }
    // A renewal by this caller hands back the secrets it just stored, so they are not decrypted again.
    if (!secrets) {
      const sealed = row.secrets_enc;
      const context = secretContext(row.id);
      secrets = sealed
        ? ((this.deps.vault.decryptJsonNow(sealed, context) as ConnectionSecrets | undefined) ??
          (await this.deps.vault.decryptJson<ConnectionSecrets>(sealed, context)))
        : { parameters: {} };
    }
    return this.place(row, resolved, secrets);
  }

  private place(row: CredentialsRow, known: ResolvedConnection | undefined, secrets: ConnectionSecrets): Credentials {
    // Placing sends the secrets: resolving checks first that they go only where they were entered for.
    const resolved = known ?? this.deps.settings.of(row, secrets);
    const placed = resolved.kind.place(resolved.settings, secrets);
    const now = Date.now();
    const validUntil = Math.min(
      now + CREDENTIAL_CACHE_TTL_MS,
      row.next_refresh_at ?? row.expires_at ?? Number.POSITIVE_INFINITY,
    );
    if (validUntil > now)
      this.deps.cache.set(row.id, {
        version: row.credentials_version,
        teamId: row.team_id,
        resolved,
        placed,
        validUntil,
      });
    return credentialsOf(row.id, row.team_id, row.credentials_version, resolved, placed);
  }

  /**
   * The service answered 401 to credentials that cannot be renewed (`lostOn401`): once its verify
   * request agrees, the connection becomes reauthorization_required — through the renewal's single
   * flight and lease, so a burst of 401s checks once. The caller passes the service's answer on.
   */
  async refusedWith401(connectionId: string, version: number): Promise<void> {
    try {
      await this.deps.renewal.renew(connectionId, { staleVersion: version });
    } catch (error) {
      if (!(error instanceof ConnectionFailure)) throw error;
    }
  }

  /** Credentials from the cache, without waiting; undefined when `get` has to read or renew them. */
  cached(connectionId: string, now = Date.now()): Credentials | undefined {
    const hit = this.deps.cache.get(connectionId, now);
    return hit && credentialsOf(connectionId, hit.teamId, hit.version, hit.resolved, hit.placed);
  }

  /** The team owning a connection, when its credentials are cached; else undefined (then `teamOf`). */
  cachedTeamOf(connectionId: string): string | undefined {
    return this.deps.cache.get(connectionId, Date.now())?.teamId;
  }

  /** The team owning a connection (from the cache when it is there), or undefined when it does not exist. */
  async teamOf(connectionId: string): Promise<string | undefined> {
    return this.cachedTeamOf(connectionId) ?? (await this.deps.connections.byId(connectionId))?.team_id;
  }
}

function credentialsOf(
  connectionId: string,
  teamId: string,
  version: number,
  resolved: ResolvedConnection,
  placed: PlacedCredential[],
): Credentials {
  return {
    connectionId,
    teamId,
    version,
    renewable: resolved.kind.renew !== undefined,
    lostOn401: resolved.kind.lostOn401 === true,
    placed,
    baseUrl: resolved.settings.baseUrl,
    allowedHosts: resolved.app.hosts,
    resolved,
  };
}

function assertUsable(row: Pick<ConnectionRow, 'status' | 'last_error'>): void {
  if (row.status === 'pending') throw new HitchError('connection_not_authorized');
  if (row.status === 'reauthorization_required') {
    const message = row.last_error ? (JSON.parse(row.last_error) as { message: string }).message : undefined;
    throw new HitchError('reauthorization_required', message ? { message } : {});
  }
}
