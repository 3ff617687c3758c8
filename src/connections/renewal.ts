import { setTimeout as sleep } from 'node:timers/promises';
import { crashPoint } from '../dangerous-crash.ts';
import type { Logger } from '../log.ts';
import type { Outbound } from '../outbound/types.ts';
import type { ConnectionsRepository, CredentialsRow } from '../store/repositories/connections.ts';
import type { ConnectionRow, ConnectionUpdate } from '../store/schema.ts';
import type { Vault } from '../vault/types.ts';
import type { ConnectionEvents } from './events.ts';
import {
  ConnectionFailure,
  failureAt,
  RenewalHeld,
  unexpectedRenewalFailure,
  type FailureContext,
} from './failures.ts';
import { forecastGrant, grantLifetimeOf } from './grant-lifetime.ts';
import { GrantUnusable, type ConnectionKind, type KindSettings, type RenewedTokens } from './kinds/kind.ts';
import { lastErrorJson, parseData, parseScopes, secretContext, type ConnectionSecrets } from './model.ts';
import { backoffMs, isDue, nextRefreshAt } from './refresh-timing.ts';
import type { ConnectionSettings, ResolvedConnection } from './settings.ts';
import { fetchAccount, VerifyRefused } from './verify-request.ts';

/** How long a claimed refresh may take before another process may take over; above two outbound timeouts. */
export const REFRESH_LEASE_MS = 45_000;
const LEASE_POLL_MS = 100;

/** The row after a renewal, and the settings it was renewed with (the same for the new credentials: only tokens changed). */
export interface Renewed {
  /** As stored: what the token path places from (the whole row where no renewal stored one). */
  row: CredentialsRow;
  resolved?: ResolvedConnection;
  /** The new secrets, when this caller renewed: placing them needs no second decryption. */
  secrets?: ConnectionSecrets;
}

/** A due connection the sweep claimed, with its lease. */
export interface ClaimedRenewal {
  row: ConnectionRow;
  until: number;
  abandonedLease: boolean;
}

export interface RenewalOptions {
  /** Renew even if not due, unless the credentials changed since `staleVersion` (after a 401). */
  staleVersion?: number;
}

/**
 * One refresh per connection at a time: an in-process single flight in front of
 * a lease claimed in the database (a conditional update), a re-read after
 * claiming, the kind's renewal outside any transaction, and the new tokens
 * stored the moment they arrive. Waiters — in this process or another — re-read
 * the row. A failure is read once, by failures.ts, and recorded on the connection.
 */
export class Renewal {
  private readonly inflight = new Map<string, Promise<Renewed>>();

  constructor(
    private readonly deps: {
      connections: ConnectionsRepository;
      vault: Vault;
      events: ConnectionEvents;
      log: Logger;
      settings: ConnectionSettings;
      /** For the verify request that confirms a 401 to credentials that cannot be renewed. */
      outbound: Outbound;
      /** Told whenever a connection's credentials or status change, to drop caches. */
      onChange: (connectionId: string) => void;
    },
  ) {}

  /**
   * Renews the connection if it is still due (or stale) once this caller gets its
   * turn, and returns the row as it then is. Throws ConnectionFailure only when the
   * renewal this caller waited for failed.
   */
  renew(connectionId: string, options: RenewalOptions = {}): Promise<Renewed> {
    const key = options.staleVersion === undefined ? connectionId : `${connectionId}@${options.staleVersion}`;
    const existing = this.inflight.get(connectionId) ?? this.inflight.get(key);
    if (existing) return existing;
    const run = this.renewWithLease(connectionId, options).finally(() => {
      this.inflight.delete(key);
    });
    this.inflight.set(key, run);
    return run;
  }

  /**
   * Renews a connection whose lease the caller claimed (the sweep claims many in one statement): no
   * read and no claim of its own. Callers on the token path meanwhile wait for this very renewal.
   */
  renewLeased(claimed: ClaimedRenewal): Promise<Renewed> {
    const id = claimed.row.id;
    const existing = this.inflight.get(id);
    if (existing) return existing;
    const run = this.renewClaimed(id, {}, claimed.until, claimed.abandonedLease, claimed.row).finally(() => {
      this.inflight.delete(id);
    });
    this.inflight.set(id, run);
    return run;
  }

  private needsRenewal(row: ConnectionRow, options: RenewalOptions, now: number): boolean {
    if (row.status === 'pending' || row.status === 'reauthorization_required') return false;
    if (options.staleVersion !== undefined) return row.credentials_version <= options.staleVersion;
    return isDue(row, now);
  }

  private async renewWithLease(connectionId: string, options: RenewalOptions): Promise<Renewed> {
    const { connections } = this.deps;
    const giveUpAt = Date.now() + REFRESH_LEASE_MS + 5_000;
    for (;;) {
      const now = Date.now();
      const row = await connections.byId(connectionId);
      if (!row) throw failureAt('renewal', new RenewalHeld('not_found'))!;
      if (!this.needsRenewal(row, options, now)) return { row };
      if (row.retry_at !== null && row.retry_at > now && options.staleVersion === undefined) {
        // Cooling down after a failure: do not hammer the service; the caller decides whether the old token still serves.
        throw failureAt('renewal', new RenewalHeld('cooling_down', parseMessage(row.last_error)))!;
      }
      if (row.refreshing_until === null || row.refreshing_until < now) {
        const until = now + REFRESH_LEASE_MS;
        if (await connections.claimRefreshLease(connectionId, now, until)) {
          // A lease left to expire means its holder stopped mid-renewal: the service may have rotated a token we never stored.
          return this.renewClaimed(connectionId, options, until, row.refreshing_until !== null);
        }
      }
      if (Date.now() > giveUpAt) throw failureAt('renewal', new RenewalHeld('renewal_stuck'))!;
      await sleep(LEASE_POLL_MS);
    }
  }

  private async renewClaimed(
    connectionId: string,
    options: RenewalOptions,
    until: number,
    afterAbandonedLease: boolean,
    claimedRow?: ConnectionRow,
  ): Promise<Renewed> {
    const { connections, vault, log } = this.deps;
    let released = false;
    const context: FailureContext = { afterAbandonedLease };
    try {
      // Re-read after claiming: another process may have renewed between our read and our claim.
      // A row claimed with its lease in one statement is already that read.
      const row = claimedRow ?? (await connections.byId(connectionId));
      if (!row) throw new RenewalHeld('not_found');
      if (!this.needsRenewal(row, options, Date.now())) return { row };
      const secrets = row.secrets_enc
        ? await vault.decryptJson<ConnectionSecrets>(row.secrets_enc, secretContext(row.id))
        : { parameters: {} };
      const resolved = this.deps.settings.of(row, secrets);
      const { kind } = resolved;
      context.flow = kind.flow;
      if (!kind.renew && !(kind.lostOn401 && options.staleVersion !== undefined))
        throw new GrantUnusable('not_renewable');
      const settings = kind.prepare ? await kind.prepare(resolved.settings) : resolved.settings;
      if (!kind.renew) {
        // Credentials that cannot be renewed, refused with a 401: lost only if the verify request is refused too.
        await this.confirmRefused(kind, settings, secrets);
        return { row };
      }
      context.ownClient = settings.client?.own === true;
      context.consentUrl = settings.consentUrl;
      const data = parseData(row);
      const renew = () => kind.renew!(settings, secrets, { scopes: data.requestedScopes ?? parseScopes(row) });

      let renewed: RenewedTokens;
      try {
        renewed = await renew();
      } catch (error) {
        // No answer at all: the refresh token may or may not have been used; resend once at most.
        const failure = failureAt('renewal', error, context);
        if (!failure || failure.change !== 'kept' || failure.answered) throw failure ?? error;
        log.warn({ connectionId, code: failure.reason }, 'renewal got no answer; retrying once');
        renewed = await renew();
      }
      crashPoint('refresh:after-response');

      const now = Date.now();
      const forecast = forecastGrant(grantLifetimeOf(resolved.definition), {
        at: now,
        event: 'refreshed',
        values: data.parameters,
        previousRenewBy: row.renew_by,
        serviceEndsAt: renewed.renewBy ?? undefined,
      });
      const changes: ConnectionUpdate = {
        secrets_enc: vault.encryptJson(renewed.secrets, secretContext(row.id)),
        expires_at: renewed.expiresAt,
        next_refresh_at: nextRefreshAt(now, renewed.expiresAt, forecast.keepAliveBy),
        refreshing_until: null,
        refresh_failures: 0,
        retry_at: null,
        last_error: null,
        status: 'active',
        updated_at: now,
        last_renewed_at: now,
        ...(renewed.scopes ? { scopes: JSON.stringify(renewed.scopes) } : {}),
        renew_by: forecast.renewBy,
      };
      const event = this.deps.events.build(
        row.team_id,
        row.id,
        'connection.refreshed',
        'system',
        'The access token was renewed.',
      );
      const stored = await connections.storeRenewal(row.id, changes, event);
      released = true;
      crashPoint('refresh:after-write');
      this.deps.onChange(row.id);
      if (!stored) throw new RenewalHeld('not_found');
      await this.deps.events.published(event);
      return { row: stored, resolved, secrets: renewed.secrets };
    } catch (error) {
      const failure = error instanceof ConnectionFailure ? error : failureAt('renewal', error, context);
      if (!failure) log.error({ err: error, connectionId }, 'renewal failed unexpectedly');
      if (!released) {
        await this.recordFailure(connectionId, failure ?? unexpectedRenewalFailure(), until);
        released = true;
      }
      // A bug surfaces as itself; every other failure as what people read.
      throw failure ?? error;
    } finally {
      if (!released) await connections.releaseRefreshLease(connectionId, until);
    }
  }

  /**
   * A 401 may be about one resource (Trello answers 401 for a board the token cannot see): the
   * verify request decides. Refused there too, or no verify request: the credentials are gone.
   */
  private async confirmRefused(
    kind: ConnectionKind,
    settings: KindSettings,
    secrets: ConnectionSecrets,
  ): Promise<void> {
    if (!settings.verify) throw new GrantUnusable('refused');
    try {
      await fetchAccount(this.deps.outbound, settings.verify, kind.place(settings, secrets));
    } catch (error) {
      throw error instanceof VerifyRefused ? new GrantUnusable('refused') : error;
    }
  }

  private async recordFailure(connectionId: string, failure: ConnectionFailure, until: number): Promise<void> {
    const { connections } = this.deps;
    const row = await connections.byId(connectionId);
    if (!row) return;
    const now = Date.now();
    const failures = row.refresh_failures + 1;
    const tokenStillWorks = row.expires_at === null || row.expires_at > now;
    const changes: ConnectionUpdate = {
      refreshing_until: null,
      last_error: lastErrorJson(failure.reason, failure.message, failure.action, now),
      updated_at: now,
      refresh_failures: failures,
    };
    if (failure.change === 'reauthorization_required') {
      Object.assign(changes, { status: 'reauthorization_required', next_refresh_at: null, retry_at: null });
    } else if (failure.change === 'error') {
      Object.assign(changes, { status: 'error', retry_at: now + backoffMs(failures) });
    } else {
      Object.assign(changes, { status: tokenStillWorks ? 'active' : 'error', retry_at: now + backoffMs(failures) });
    }
    await connections.updateWhereLease(connectionId, until, changes);
    this.deps.onChange(connectionId);
    const type =
      failure.change === 'reauthorization_required'
        ? 'connection.reauthorization_required'
        : 'connection.refresh_failed';
    if (row.status !== changes.status || failure.change !== 'kept' || failures === 1) {
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
