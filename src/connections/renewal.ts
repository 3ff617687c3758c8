import { setTimeout as sleep } from 'node:timers/promises';
import { crashPoint } from '../dangerous-crash.ts';
import type { Logger } from '../log.ts';
import type { ConnectionsRepository } from '../store/repositories/connections.ts';
import type { ConnectionRow, ConnectionUpdate } from '../store/schema.ts';
import type { Vault } from '../vault/types.ts';
import type { ConnectionEvents } from './events.ts';
import { lastErrorJson, secretContext, type ConnectionSecrets } from './model.ts';

/** Renew this long before expiry, or half the lifetime when that is shorter. */
export const REFRESH_LEAD_MS = 5 * 60_000;
/** How long a claimed refresh may take before another process may take over; above two outbound timeouts. */
export const REFRESH_LEASE_MS = 45_000;
/** First and largest wait after a failed renewal. */
export const RETRY_BASE_MS = 15_000;
export const RETRY_MAX_MS = 60 * 60_000;
const LEASE_POLL_MS = 100;

/** What a renewal brings back, ready to store. */
export interface RenewedTokens {
  secrets: ConnectionSecrets;
  expiresAt: number | null;
  scopes?: string[];
  learned?: Record<string, string>;
  renewBy?: number | null;
}

/**
 * Why a renewal failed, in the terms that decide the connection's status:
 * - `grant_revoked`: the grant is gone (invalid_grant, no refresh token) → reauthorization_required;
 * - `client_rejected`: the service refuses the OAuth client (invalid_client) → error, for an administrator;
 * - `transient`: the service answered badly or not at all → keep the tokens, back off.
 * `answered` says whether the service answered at all: a refresh token it answered for is never resent.
 */
export class RenewalError extends Error {
  constructor(
    readonly reason: 'grant_revoked' | 'client_rejected' | 'transient',
    readonly code: string,
    message: string,
    readonly answered: boolean,
  ) {
    super(message);
    this.name = 'RenewalError';
  }
}

/** Calls the service for new credentials; implemented per kind of authorization. */
export type Renewer = (row: ConnectionRow, secrets: ConnectionSecrets) => Promise<RenewedTokens>;

export function refreshLeadMs(lifetimeMs: number): number {
  return Math.min(REFRESH_LEAD_MS, Math.floor(lifetimeMs / 2));
}

/** When to renew a token that expires at `expiresAt`, having been issued at `issuedAt`. */
export function nextRefreshAt(issuedAt: number, expiresAt: number | null): number | null {
  if (expiresAt === null) return null;
  return expiresAt - refreshLeadMs(Math.max(0, expiresAt - issuedAt));
}

export function backoffMs(failures: number): number {
  const exp = Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** Math.max(0, failures - 1));
  // Up to 20% jitter so many connections failing together do not retry together.
  return Math.round(exp * (0.8 + Math.random() * 0.2));
}

export interface RenewalOptions {
  /** Renew even if not due, unless the credentials changed since `staleVersion` (after a 401). */
  staleVersion?: number;
}

/**
 * One refresh per connection at a time: an in-process single flight in front of
 * a lease claimed in the database (a conditional update), a re-read after
 * claiming, the network call outside any transaction, and the new tokens stored
 * the moment they arrive. Waiters — in this process or another — re-read the row.
 */
export class Renewal {
  private readonly inflight = new Map<string, Promise<ConnectionRow>>();

  constructor(
    private readonly deps: {
      connections: ConnectionsRepository;
      vault: Vault;
      events: ConnectionEvents;
      log: Logger;
      renewerFor: (row: ConnectionRow) => Renewer | null;
      /** Told whenever a connection's credentials or status change, to drop caches. */
      onChange: (connectionId: string) => void;
    },
  ) {}

  /** True when the stored token should be renewed now. */
  static isDue(row: Pick<ConnectionRow, 'expires_at' | 'next_refresh_at'>, now: number): boolean {
    if (row.expires_at === null) return false;
    const due = row.next_refresh_at ?? row.expires_at;
    return now >= due;
  }

  /**
   * Renews the connection if it is still due (or stale) once this caller gets its
   * turn, and returns the row as it then is. Throws RenewalError only when the
   * renewal this caller waited for failed.
   */
  renew(connectionId: string, options: RenewalOptions = {}): Promise<ConnectionRow> {
    const key = options.staleVersion === undefined ? connectionId : `${connectionId}@${options.staleVersion}`;
    const existing = this.inflight.get(connectionId) ?? this.inflight.get(key);
    if (existing) return existing;
    const run = this.renewWithLease(connectionId, options).finally(() => {
      this.inflight.delete(key);
    });
    this.inflight.set(key, run);
    return run;
  }

  private needsRenewal(row: ConnectionRow, options: RenewalOptions, now: number): boolean {
    if (row.status === 'pending' || row.status === 'reauthorization_required') return false;
    if (options.staleVersion !== undefined) return row.credentials_version <= options.staleVersion;
    return Renewal.isDue(row, now);
  }

  private async renewWithLease(connectionId: string, options: RenewalOptions): Promise<ConnectionRow> {
    const { connections } = this.deps;
    const giveUpAt = Date.now() + REFRESH_LEASE_MS + 5_000;
    for (;;) {
      const now = Date.now();
      const row = await connections.byId(connectionId);
      if (!row) throw new RenewalError('grant_revoked', 'not_found', 'The connection no longer exists.', false);
      if (!this.needsRenewal(row, options, now)) return row;
      if (row.retry_at !== null && row.retry_at > now && options.staleVersion === undefined) {
        // Cooling down after a failure: do not hammer the service; the caller decides whether the old token still serves.
        throw new RenewalError('transient', 'cooling_down', parseMessage(row.last_error) ?? 'Renewal is paused after a failure; Hitch will try again shortly.', false);
      }
      if (row.refreshing_until === null || row.refreshing_until < now) {
        const until = now + REFRESH_LEASE_MS;
        if (await connections.claimRefreshLease(connectionId, now, until)) {
          // A lease left to expire means its holder stopped mid-renewal: the service may have rotated a token we never stored.
          return this.renewClaimed(connectionId, options, until, row.refreshing_until !== null);
        }
      }
      if (Date.now() > giveUpAt) throw new RenewalError('transient', 'renewal_stuck', 'Another renewal of this connection did not finish in time; try again shortly.', false);
      await sleep(LEASE_POLL_MS);
    }
  }

  private async renewClaimed(connectionId: string, options: RenewalOptions, until: number, afterAbandonedLease: boolean): Promise<ConnectionRow> {
    const { connections, vault, log } = this.deps;
    let released = false;
    try {
      // Re-read after claiming: another process may have renewed between our read and our claim.
      const row = await connections.byId(connectionId);
      if (!row) throw new RenewalError('grant_revoked', 'not_found', 'The connection no longer exists.', false);
      if (!this.needsRenewal(row, options, Date.now())) return row;
      const renewer = this.deps.renewerFor(row);
      if (!renewer) {
        throw new RenewalError('grant_revoked', 'not_renewable', 'The access expired and the service gave no way to renew it: reauthorize the connection.', true);
      }
      const secrets = row.secrets_enc ? await vault.decryptJson<ConnectionSecrets>(row.secrets_enc, secretContext(row.id)) : { parameters: {} };

      let renewed: RenewedTokens;
      try {
        renewed = await renewer(row, secrets);
      } catch (error) {
        // No answer at all: the refresh token may or may not have been used; resend once at most.
        if (error instanceof RenewalError && error.reason === 'transient' && !error.answered) {
          log.warn({ connectionId, code: error.code }, 'renewal got no answer; retrying once');
          renewed = await renewer(row, secrets);
        } else if (error instanceof RenewalError && error.reason === 'grant_revoked' && error.code === 'invalid_grant' && afterAbandonedLease) {
          throw new RenewalError(
            'grant_revoked',
            'renewal_interrupted',
            'A renewal of this connection was interrupted (Hitch stopped while the service was answering), so the renewed authorization was lost and the service no longer accepts the old one: reauthorize the connection.',
            true,
          );
        } else {
          throw error;
        }
      }
      crashPoint('refresh:after-response');

      const now = Date.now();
      const changes: ConnectionUpdate = {
        secrets_enc: vault.encryptJson(renewed.secrets, secretContext(row.id)),
        expires_at: renewed.expiresAt,
        next_refresh_at: nextRefreshAt(now, renewed.expiresAt),
        refreshing_until: null,
        refresh_failures: 0,
        retry_at: null,
        last_error: null,
        status: 'active',
        updated_at: now,
        ...(renewed.scopes ? { scopes: JSON.stringify(renewed.scopes) } : {}),
        ...(renewed.renewBy !== undefined ? { renew_by: renewed.renewBy } : {}),
      };
      await connections.bumpCredentials(row.id, changes);
      released = true;
      crashPoint('refresh:after-write');
      this.deps.onChange(row.id);
      await this.deps.events.record(row.team_id, row.id, 'connection.refreshed', 'system', 'The access token was renewed.');
      return (await connections.byId(row.id))!;
    } catch (error) {
      if (!released) {
        await this.recordFailure(connectionId, error, until);
        released = true;
      }
      throw error;
    } finally {
      if (!released) await connections.releaseRefreshLease(connectionId, until);
    }
  }

  private async recordFailure(connectionId: string, error: unknown, until: number): Promise<void> {
    const { connections, log } = this.deps;
    const row = await connections.byId(connectionId);
    if (!row) return;
    const now = Date.now();
    const failure = error instanceof RenewalError ? error : new RenewalError('transient', 'internal', 'Renewal failed inside Hitch; it will be retried.', false);
    if (!(error instanceof RenewalError)) log.error({ err: error, connectionId }, 'renewal failed unexpectedly');
    const failures = row.refresh_failures + 1;
    const tokenStillWorks = row.expires_at === null || row.expires_at > now;
    const changes: ConnectionUpdate = { refreshing_until: null, last_error: lastErrorJson(failure.code, failure.message, now), updated_at: now, refresh_failures: failures };
    if (failure.reason === 'grant_revoked') {
      Object.assign(changes, { status: 'reauthorization_required', next_refresh_at: null, retry_at: null });
    } else if (failure.reason === 'client_rejected') {
      Object.assign(changes, { status: 'error', retry_at: now + backoffMs(failures) });
    } else {
      Object.assign(changes, { status: tokenStillWorks ? 'active' : 'error', retry_at: now + backoffMs(failures) });
    }
    await connections.updateWhereLease(connectionId, until, changes);
    this.deps.onChange(connectionId);
    const type = failure.reason === 'grant_revoked' ? 'connection.reauthorization_required' : 'connection.refresh_failed';
    if (row.status !== changes.status || failure.reason !== 'transient' || failures === 1) {
      await this.deps.events.record(row.team_id, row.id, type, 'system', failure.message);
    }
  }
}

function parseMessage(lastError: string | null): string | undefined {
  if (!lastError) return undefined;
  try {
    return (JSON.parse(lastError) as { message?: string }).message;
  } catch {
    return undefined;
  }
}
