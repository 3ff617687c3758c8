import type { PlacedCredential } from '../auth/inject.ts';
import { withAppHeaders } from '../catalog/resolve.ts';
import type { LookupDefinition } from '../catalog/schema.ts';
import { HitchError, isHitchError } from '../errors.ts';
import type { Outbound } from '../outbound/types.ts';
import { readPath } from './verify-request.ts';

/** One thing the service offers the connection (an Atlassian site): how the person sees it, and the values it supplies. */
export interface LookupChoice {
  label: string;
  values: Record<string, string>;
}

/** More than anyone picks from on one page; the rest of a longer list is not offered. */
const MAX_CHOICES = 100;
const MAX_VALUE_LENGTH = 2048;

/** Whether the lookup is still needed: a value the connection already has (a parameter, or learned) is kept. */
export function lookupNeeded(lookup: LookupDefinition | undefined, known: Record<string, unknown>): boolean {
  if (!lookup) return false;
  return Object.keys(lookup.values).some((name) => known[name] === undefined || known[name] === '');
}

function text(value: unknown): string | undefined {
  if (typeof value === 'string' && value !== '') return value.slice(0, MAX_VALUE_LENGTH);
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

/**
 * The forms the values must have: each declared parameter's `pattern`. A looked-up value may decide
 * where credentials go (DocuSign's base URI), so it is held to the form a person's would be.
 */
export type LookupPatterns = Readonly<Record<string, string | undefined>>;

/**
 * The entries of an answer as choices: each with every value it must supply, in the form its
 * parameter declares (an entry with a value off its pattern is not offered), duplicates once.
 */
export function choicesIn(lookup: LookupDefinition, answer: unknown, patterns: LookupPatterns = {}): LookupChoice[] {
  const list = lookup.list === '' ? answer : readPath(answer, lookup.list);
  if (!Array.isArray(list)) return [];
  const seen = new Set<string>();
  const choices: LookupChoice[] = [];
  for (const entry of list) {
    const values: Record<string, string> = {};
    for (const [name, path] of Object.entries(lookup.values)) {
      const value = text(readPath(entry, path));
      const pattern = patterns[name];
      if (value !== undefined && (!pattern || new RegExp(`^(?:${pattern})$`).test(value))) values[name] = value;
    }
    if (Object.keys(values).length !== Object.keys(lookup.values).length) continue;
    const key = JSON.stringify(values);
    if (seen.has(key)) continue;
    seen.add(key);
    const words = lookup.label.map((path) => text(readPath(entry, path))).filter((w) => w !== undefined);
    choices.push({
      label: (words.length ? words.join(' · ') : Object.values(values).join(' · ')).slice(0, 300),
      values,
    });
    if (choices.length === MAX_CHOICES) break;
  }
  return choices;
}

/**
 * Makes the lookup with the connection's new credentials (placed by the outbound client, so only on
 * the lookup URL's origin and its same-origin redirects) and the app's static headers, and returns
 * what it offers; none is `authorization_lookup_empty`.
 */
export async function lookUp(
  outbound: Outbound,
  lookup: LookupDefinition,
  placed: readonly PlacedCredential[],
  appHeaders: Readonly<Record<string, string>>,
  patterns: LookupPatterns = {},
): Promise<LookupChoice[]> {
  let answer: unknown;
  try {
    const response = await outbound.request({
      url: lookup.url,
      method: lookup.method,
      headers: withAppHeaders(appHeaders, { accept: 'application/json', ...(lookup.headers ?? {}) }),
      maxRedirects: 3,
      credentials: placed,
    });
    if (response.status < 200 || response.status >= 300)
      throw new HitchError('authorization_lookup_failed', {
        message: `The service answered the request that finds what this connection uses with HTTP ${response.status}: try again in a moment.`,
      });
    answer = response.json();
  } catch (error) {
    if (isHitchError(error) && error.code === 'authorization_lookup_failed') throw error;
    if (isHitchError(error) && error.code === 'upstream_bad_response')
      throw new HitchError('authorization_lookup_failed', {
        message:
          'The service answered the request that finds what this connection uses with something that is not JSON.',
      });
    throw error;
  }
  const choices = choicesIn(lookup, answer, patterns);
  if (choices.length === 0) throw new HitchError('authorization_lookup_empty');
  return choices;
}
