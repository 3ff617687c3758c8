import type { ParameterValue } from '../catalog/parameters.ts';
import type { AppDefinition, ConnectionKindDefinition, GrantLifetimeDefinition } from '../catalog/schema.ts';
import type { ConnectionRow } from '../store/schema.ts';
import { parseData } from './model.ts';

/**
 * The renewal forecast: from a refresh grant's documented lifetime (the catalog's
 * `grantLifetime`) and what the service said (`refresh_expires_in`), when the
 * grant ends (`renewBy`), whether refreshing can move that end, and by when Hitch
 * must refresh to keep an idle lifetime from lapsing. Pure: the clock comes in.
 */

export const DAY_MS = 24 * 60 * 60_000;

/** The lifetime of a kind's refresh grant, when the catalog documents one. */
export function grantLifetimeOf(definition: ConnectionKindDefinition): GrantLifetimeDefinition | undefined {
  return definition.type === 'oauth2' ? definition.grantLifetime : undefined;
}

function absoluteApplies(lifetime: GrantLifetimeDefinition, values: Record<string, ParameterValue>): boolean {
  if (lifetime.absoluteDays === undefined) return false;
  return lifetime.absoluteWhen === undefined || values[lifetime.absoluteWhen] === true;
}

/**
 * True when refreshing cannot move `renewBy`, so people must reauthorize by then:
 * an absolute lifetime that refreshes do not restart, or an end the service named
 * without the catalog saying it slides.
 */
export function renewByIsFinal(
  lifetime: GrantLifetimeDefinition | undefined,
  values: Record<string, ParameterValue>,
): boolean {
  if (!lifetime) return true;
  return absoluteApplies(lifetime, values) && !lifetime.extendsOnRefresh;
}

export interface Forecast {
  /** When the grant ends; null when nothing is known. */
  renewBy: number | null;
  /** When a refresh must have happened for the grant to live on (an idle lifetime); null when none is needed. */
  keepAliveBy: number | null;
}

export interface ForecastInput {
  /** The time of the authorization or refresh. */
  at: number;
  event: 'authorized' | 'refreshed';
  values: Record<string, ParameterValue>;
  /** The stored `renewBy` before a refresh. */
  previousRenewBy: number | null;
  /** The end the service named in this answer (`refresh_expires_in`). */
  serviceEndsAt?: number | undefined;
}

/** The forecast after an authorization or a refresh at `input.at`. */
export function forecastGrant(lifetime: GrantLifetimeDefinition | undefined, input: ForecastInput): Forecast {
  const { at } = input;
  if (!lifetime) {
    const renewBy = input.serviceEndsAt ?? (input.event === 'refreshed' ? input.previousRenewBy : null);
    return { renewBy, keepAliveBy: null };
  }
  const days = (n: number) => at + n * DAY_MS;
  const sliding: number[] = [];
  if (lifetime.idleDays !== undefined) sliding.push(days(lifetime.idleDays));
  if (input.serviceEndsAt !== undefined && lifetime.extendsOnRefresh) sliding.push(input.serviceEndsAt);
  let final: number | undefined;
  if (absoluteApplies(lifetime, input.values)) {
    const restarted = days(lifetime.absoluteDays!);
    if (lifetime.extendsOnRefresh) sliding.push(restarted);
    else if (input.event === 'authorized') final = restarted;
    else final = input.previousRenewBy ?? restarted;
  }
  if (final === undefined && input.serviceEndsAt !== undefined && !lifetime.extendsOnRefresh)
    final = input.serviceEndsAt;
  const keepAliveBy = sliding.length ? Math.min(...sliding) : null;
  return {
    renewBy: final ?? keepAliveBy,
    keepAliveBy: final !== undefined && keepAliveBy !== null && final <= keepAliveBy ? null : keepAliveBy,
  };
}

/** The date people must reauthorize by: the stored `renewBy` when refreshing cannot move it, else null. */
export function reauthorizeByOf(
  row: Pick<ConnectionRow, 'renew_by' | 'auth' | 'data'>,
  app: AppDefinition | undefined,
): number | null {
  if (row.renew_by === null) return null;
  const definition = app?.connections.find((kind) => kind.type === row.auth);
  const lifetime = definition ? grantLifetimeOf(definition) : undefined;
  return renewByIsFinal(lifetime, parseData(row).parameters) ? row.renew_by : null;
}
