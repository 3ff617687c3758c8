import type { PlacedCredential } from '../auth/inject.ts';
import { HitchError } from '../errors.ts';
import type { ConnectionsRepository, CredentialsRow } from '../store/repositories/connections.ts';
import type { ConnectionRow } from '../store/schema.ts';
import type { Vault } from '../vault/types.ts';
import { CREDENTIAL_CACHE_TTL_MS, CredentialCache } from './credential-cache.ts';
import { secretContext, type ConnectionSecrets } from './model.ts';
import { Renewal, RenewalError } from './renewal.ts';

/** What a caller needs to make a request through a connection. */
export interface Credentials {
  connectionId: string;
  /** The owning team, so callers that hold only an id (the proxy) can check access without a read. */
  teamId: string;
  /** Pass back as `staleVersion` after a 401 so exactly one renewal follows. */
  version: number;
  /** False for kinds that cannot renew (API keys, Basic): a 401 is passed on instead of retried. */
  renewable: boolean;
  placed: PlacedCredential[];
  baseUrl: string | undefined;
  /** Hosts besides the base URL's that may receive these credentials. */
  allowedHosts: string[];
}

/** Turns a connection's decrypted secrets into placed credentials, per kind of authorization. */
export type Placer = (row: CredentialsRow, secrets: ConnectionSecrets) => { placed: PlacedCredential[]; baseUrl: string | undefined; allowedHosts: string[]; renewable?: boolean };

/**
 * The token path: `get(connectionId)` returns usable credentials, renewing first
 * when the token is due. Every caller — the proxy, scenario runs, verify — goes
 * through here, so renewal, retry-after-401 and caching live in one place.
 */
export class CredentialProvider {
  readonly cache: CredentialCache;

  constructor(
    private readonly deps: { connections: ConnectionsRepository; vault: Vault; renewal: Renewal; placer: Placer },
    cacheSize: number,
  ) {
    this.cache = new CredentialCache(cacheSize);
  }

  /**
   * Usable credentials for the connection. `staleVersion`: the version that the
   * service just refused with a 401 — forces one renewal unless another caller
   * already renewed since.
   */
  async get(connectionId: string, options: { staleVersion?: number } = {}): Promise<Credentials> {
    const now = Date.now();
    if (options.staleVersion === undefined) {
      const hit = this.cache.get(connectionId, now);
      if (hit) return { connectionId, teamId: hit.teamId, version: hit.version, renewable: hit.renewable, placed: hit.placed, baseUrl: hit.baseUrl, allowedHosts: hit.allowedHosts };
    }

    let row: CredentialsRow | undefined = await this.deps.connections.credentialsById(connectionId);
    if (!row) throw new HitchError('not_found', { message: 'This connection does not exist.' });
    assertUsable(row);

    if (options.staleVersion !== undefined || Renewal.isDue(row, now)) {
      try {
        row = await this.deps.renewal.renew(connectionId, options);
      } catch (error) {
        if (!(error instanceof RenewalError)) throw error;
        const current = await this.deps.connections.byId(connectionId);
        // A failed renewal of a token that still works is not the caller's problem (until it lapses).
        const stillWorks = current && current.status === 'active' && (current.expires_at === null || current.expires_at > Date.now()) && options.staleVersion === undefined;
        if (!stillWorks) throw renewalToHttp(error);
        row = current;
      }
      assertUsable(row);
    }
    return this.place(row);
  }

  private async place(row: CredentialsRow): Promise<Credentials> {
    const secrets = row.secrets_enc ? await this.deps.vault.decryptJson<ConnectionSecrets>(row.secrets_enc, secretContext(row.id)) : { parameters: {} };
    const { placed, baseUrl, allowedHosts, renewable = true } = this.deps.placer(row, secrets);
    const now = Date.now();
    const validUntil = Math.min(now + CREDENTIAL_CACHE_TTL_MS, row.next_refresh_at ?? row.expires_at ?? Number.POSITIVE_INFINITY);
    if (validUntil > now) this.cache.set(row.id, { version: row.credentials_version, teamId: row.team_id, renewable, placed, baseUrl, allowedHosts, validUntil });
    return { connectionId: row.id, teamId: row.team_id, version: row.credentials_version, renewable, placed, baseUrl, allowedHosts };
  }

  /** The team owning a connection (from the cache when it is there), or undefined when it does not exist. */
  async teamOf(connectionId: string): Promise<string | undefined> {
    const hit = this.cache.get(connectionId, Date.now());
    if (hit) return hit.teamId;
    return (await this.deps.connections.byId(connectionId))?.team_id;
  }
}

function assertUsable(row: Pick<ConnectionRow, 'status' | 'last_error'>): void {
  if (row.status === 'pending') throw new HitchError('connection_not_authorized');
  if (row.status === 'reauthorization_required') {
    const message = row.last_error ? (JSON.parse(row.last_error) as { message: string }).message : undefined;
    throw new HitchError('reauthorization_required', message ? { message } : {});
  }
}

export function renewalToHttp(error: RenewalError): HitchError {
  if (error.reason === 'grant_revoked') return new HitchError('reauthorization_required', { message: error.message });
  return new HitchError('upstream_unreachable', { message: error.message });
}
