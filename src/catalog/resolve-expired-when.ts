import { invalidField } from '../errors.ts';
import { withDefaults, type ParameterValue } from './parameters.ts';
import { fill, fillString, type Values } from './resolve.ts';
import type { ConnectionKindDefinition } from './schema.ts';

/** A kind's expiry signals made concrete for one connection. */
export interface ExpiredWhen {
  /** Statuses that mean the credentials lapsed. */
  status: number[];
  /** With `bodyValues`: a dot path into a JSON answer whose value there means the same. */
  bodyPath: string | undefined;
  bodyValues: string[];
}

/** What a kind that says nothing about expiry gets: a 401 means "expired". */
export const DEFAULT_EXPIRED_WHEN: ExpiredWhen = { status: [401], bodyPath: undefined, bodyValues: [] };

/** A list parameter, or text with commas (`401, 403`), as its entries. */
function entries(value: unknown): string[] | undefined {
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string' && v.trim() !== '');
  if (typeof value === 'string' && value.trim() !== '') return value.split(',').map((v) => v.trim());
  return undefined;
}

/**
 * Fills a kind's `expiredWhen` for one connection: the generic app takes the
 * statuses and body values from parameters (advanced settings), so a bad
 * entry is refused naming the parameter.
 */
export function resolveExpiredWhen(kind: ConnectionKindDefinition, given: Record<string, ParameterValue>): ExpiredWhen {
  const rule = kind.expiredWhen;
  if (!rule) return DEFAULT_EXPIRED_WHEN;
  const values: Values = { ...withDefaults(kind.parameters, given) };
  const statusEntries = Array.isArray(rule.status)
    ? rule.status.map(String)
    : (entries(fill(rule.status, values)) ?? ['401']);
  const status = statusEntries.map((entry) => {
    const code = Number(entry);
    if (!/^\d{3}$/.test(entry) || code < 100 || code > 599)
      throw invalidField(
        `parameters.${templateName(rule.status) ?? 'expiredStatuses'}`,
        `"${entry}" is not an HTTP status: list statuses such as 401, 403.`,
      );
    return code;
  });
  const bodyPath = fillString(rule.bodyPath, values);
  const bodyValues = Array.isArray(rule.bodyValues) ? rule.bodyValues : (entries(fill(rule.bodyValues, values)) ?? []);
  // A path without values (or values without a path) can match nothing: the signal is the statuses alone.
  return bodyPath && bodyValues.length
    ? { status, bodyPath, bodyValues }
    : { status, bodyPath: undefined, bodyValues: [] };
}

function templateName(value: unknown): string | undefined {
  return typeof value === 'string' ? /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/.exec(value)?.[1] : undefined;
}
