import type { Catalog } from '../catalog/catalog.ts';
import type { AppDefinition, ConnectionKindDefinition, NonExpiringTokensDefinition } from '../catalog/schema.ts';
import type { Logger } from '../log.ts';
import type { ConnectionsRepository } from '../store/repositories/connections.ts';
import type { ConnectionRow } from '../store/schema.ts';
import type { Vault } from '../vault/types.ts';
import type { ConnectionEvents } from './events.ts';
import { failureAt } from './failures.ts';
import { forecastGrant, grantLifetimeOf } from './grant-lifetime.ts';
import { parseData, secretContext, type ConnectionSecrets } from './model.ts';
import { nextRefreshAt } from './refresh-timing.ts';
import { REFRESH_LEASE_MS } from './renewal.ts';
import type { ConnectionSettings } from './settings.ts';

/**
 * A service's end of tokens that never expire, applied to the connections made before it (the
 * catalog's `nonExpiringTokens`): each such connection is moved over by the service's token
 * exchange when the app names one, or else — and when the exchange is refused — given the
 * service's deadline as its renewBy, which the notifications turn into one notice telling people
 * to reauthorize. Each connection is looked at once: after either outcome it is no longer a
 * candidate. A working connection keeps its token unless the exchange gave a new one.
 */

/** Connections read per app and run. */
export const NON_EXPIRING_BATCH = 100;

/** The day a rule names, as the instant its renewBy holds (midnight UTC). */
export function deadlineOf(rule: NonExpiringTokensDefinition): number {
  return Date.parse(`${rule.endsOn}T00:00:00Z`);
}

/** The rule of a connection's kind, when its app has one. */
export function nonExpiringRuleOf(definition: ConnectionKindDefinition): NonExpiringTokensDefinition | undefined {
  return definition.type === 'oauth2' ? definition.nonExpiringTokens : undefined;
}

/** The rule whose deadline a stored connection carries: no expiry, and renewBy set to the rule's day. */
export function deadlineRuleFor(
  row: Pick<ConnectionRow, 'auth' | 'expires_at' | 'renew_by'>,
  app: AppDefinition | undefined,
): NonExpiringTokensDefinition | undefined {
  if (row.expires_at !== null || row.renew_by === null) return undefined;
  const definition = app?.connections.find((kind) => kind.type === row.auth);
  const rule = definition ? nonExpiringRuleOf(definition) : undefined;
  return rule && deadlineOf(rule) === row.renew_by ? rule : undefined;
}

/** Every (app, kind, rule) of the catalog, for the sweep and for the notices. */
export function nonExpiringRules(
  catalog: Pick<Catalog, 'list'>,
): Array<{ app: AppDefinition; auth: string; rule: NonExpiringTokensDefinition }> {
  return catalog.list().flatMap((app) =>
    app.connections.flatMap((definition) => {
      const rule = nonExpiringRuleOf(definition);
      return rule ? [{ app, auth: definition.type, rule }] : [];
    }),
  );
}

export interface NonExpiringDeps {
  catalog: Pick<Catalog, 'list'>;
  connections: ConnectionsRepository;
  settings: ConnectionSettings;
  vault: Vault;
  events: ConnectionEvents;
  log: Logger;
  onChange: (connectionId: string) => void;
}

/** One run over every rule of the catalog; returns how many connections moved over and how many got a deadline. */
export async function applyNonExpiringRules(
  deps: NonExpiringDeps,
  now = Date.now(),
): Promise<{ exchanged: number; deadlines: number }> {
  let exchanged = 0;
  let deadlines = 0;
  for (const { app, auth, rule } of nonExpiringRules(deps.catalog)) {
    const deadline = deadlineOf(rule);
    const rows = await deps.connections.withoutExpiry(app.id, auth, deadline, NON_EXPIRING_BATCH);
    for (const row of rows) {
      if (rule.exchange && now < deadline && (await exchangeOne(deps, row, rule.exchange, now))) {
        exchanged++;
        continue;
      }
      // The notifications sweep tells people (one event, one e-mail) from the renewBy set here.
      if (await deps.connections.setDeadline(row.id, deadline, Date.now())) {
        deadlines++;
        deps.onChange(row.id);
      }
    }
  }
  return { exchanged, deadlines };
}

/**
 * The exchange under the refresh lease, so no renewal or second process races it. True when the
 * connection now holds an expiring token; false (the lease released, nothing changed) otherwise.
 */
async function exchangeOne(
  deps: NonExpiringDeps,
  candidate: ConnectionRow,
  exchange: NonNullable<NonExpiringTokensDefinition['exchange']>,
  now: number,
): Promise<boolean> {
  const { connections, vault, log } = deps;
  const until = now + REFRESH_LEASE_MS;
  if (!(await connections.claimRefreshLease(candidate.id, now, until))) return false;
  let stored = false;
  try {
    const row = await connections.byId(candidate.id);
    if (!row || row.expires_at !== null || !row.secrets_enc) return false;
    const secrets = await vault.decryptJson<ConnectionSecrets>(row.secrets_enc, secretContext(row.id));
    if (secrets.refreshToken) return false;
    const resolved = deps.settings.of(row, secrets);
    const { kind } = resolved;
    if (!kind.exchangeNonExpiring) return false;
    const settings = kind.prepare ? await kind.prepare(resolved.settings) : resolved.settings;
    const renewed = await kind.exchangeNonExpiring(settings, secrets, exchange);
    // An answer without an expiry is no move at all; the deadline stays the person's to meet.
    if (renewed.expiresAt === null || !renewed.secrets.refreshToken) return false;
    const at = Date.now();
    const forecast = forecastGrant(grantLifetimeOf(resolved.definition), {
      at,
      event: 'authorized',
      values: parseData(row).parameters,
      previousRenewBy: null,
      serviceEndsAt: renewed.renewBy ?? undefined,
    });
    await connections.bumpCredentials(row.id, {
      secrets_enc: vault.encryptJson(renewed.secrets, secretContext(row.id)),
      expires_at: renewed.expiresAt,
      next_refresh_at: nextRefreshAt(at, renewed.expiresAt, forecast.keepAliveBy),
      renew_by: forecast.renewBy,
      refreshing_until: null,
      refresh_failures: 0,
      retry_at: null,
      last_error: null,
      status: 'active',
      updated_at: at,
      ...(renewed.scopes ? { scopes: JSON.stringify(renewed.scopes) } : {}),
    });
    stored = true;
    deps.onChange(row.id);
    await deps.events.record(
      row.team_id,
      row.id,
      'connection.refreshed',
      'system',
      'The token that never expired was exchanged for an expiring one, which Hitch renews.',
    );
    return true;
  } catch (error) {
    // The exchange was refused or did not answer: the old token is untouched, and the deadline takes over.
    const failure = failureAt('renewal', error, {});
    if (!failure) log.error({ err: error, connectionId: candidate.id }, 'token exchange failed unexpectedly');
    else log.warn({ connectionId: candidate.id, code: failure.reason }, 'token exchange refused');
    return false;
  } finally {
    if (!stored) await connections.releaseRefreshLease(candidate.id, until);
  }
}
