import { invalidField } from '../errors.ts';
import type { ParameterValue } from './parameters.ts';
import type { OAuth2KindDefinition } from './schema.ts';

/**
 * Parameters the OAuth 2.0 steps set themselves. Extra authorize or token
 * parameters (an app's quirks, the generic app's maps) may not name them: a
 * second `state`, `redirect_uri` or `code_challenge` would undo the checks that
 * make the flow safe, and a `client_id` would send the grant to another client.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.1 (authorization request)
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.3 (access token request)
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-6 (refresh)
 * @see https://www.rfc-editor.org/rfc/rfc7636#section-4.3 (PKCE)
 * @see https://www.rfc-editor.org/rfc/rfc7523#section-2.2 (client assertions)
 */
export const RESERVED_OAUTH_PARAMETERS: ReadonlySet<string> = new Set([
  'response_type',
  'client_id',
  'client_secret',
  'redirect_uri',
  'scope',
  'state',
  'code',
  'code_challenge',
  'code_challenge_method',
  'code_verifier',
  'grant_type',
  'refresh_token',
  'client_assertion',
  'client_assertion_type',
  'iss',
]);

const MAP_FIELDS = ['authorizeParameters', 'tokenParameters', 'refreshParameters'] as const;

/**
 * Both case mappings, so a name a server would fold to a reserved one through
 * upper case (`ſtate` upper-cases to `STATE`) counts as well as through lower case.
 */
function foldings(name: string): string[] {
  return [name.toLowerCase(), name.toUpperCase().toLowerCase()];
}

/** The first reserved name among a map's keys (compared without case: servers differ on that). */
export function reservedNameIn(map: Record<string, unknown>, scopeParameter = 'scope'): string | undefined {
  const scope = scopeParameter.toLowerCase();
  return Object.keys(map).find((name) =>
    foldings(name).some((folded) => RESERVED_OAUTH_PARAMETERS.has(folded) || folded === scope),
  );
}

/**
 * Refuses a person's extra OAuth parameters that name a reserved one: run on the
 * validated parameters before anything is written, so a refused request leaves no trace.
 */
export function checkExtraOAuthParameters(kind: OAuth2KindDefinition, values: Record<string, ParameterValue>): void {
  for (const field of MAP_FIELDS) {
    const template = kind[field];
    if (typeof template !== 'string') continue;
    const name = /^\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}$/.exec(template)?.[1];
    const value = name ? values[name] : undefined;
    if (!name || !value || typeof value !== 'object' || Array.isArray(value)) continue;
    const reserved = reservedNameIn(value, kind.scopeParameter);
    if (reserved) {
      const label = kind.parameters.find((p) => p.name === name)?.label ?? name;
      throw invalidField(
        `parameters.${name}`,
        `${label} may not set "${reserved}": Hitch sends it itself; remove it and try again.`,
      );
    }
  }
}
