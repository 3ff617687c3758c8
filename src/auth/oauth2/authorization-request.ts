import type { AuthorizationServer } from './authorization-server.ts';
import type { OAuthClient } from './client.ts';

/** Set by Hitch itself: an app's extra parameters may not replace them. */
export const RESERVED_AUTHORIZATION_PARAMETERS: ReadonlySet<string> = new Set([
  'response_type',
  'client_id',
  'redirect_uri',
  'scope',
  'state',
  'code_challenge',
  'code_challenge_method',
]);

export interface AuthorizationRequest {
  server: AuthorizationServer;
  client: Pick<OAuthClient, 'clientId'>;
  redirectUri: string;
  /** Sent as `scope`, omitted when empty. */
  scopes: readonly string[];
  /** RFC 6749 says a space; some services want a comma or a `+`. Default `' '`. */
  scopeSeparator?: ScopeSeparator;
  /** Default `scope`; Slack wants user scopes in `user_scope`. */
  scopeParameter?: string;
  state: string;
  /** The S256 challenge, or null for an app that opted out of PKCE. */
  pkce: { challenge: string } | null;
  /** App-specific parameters (`access_type=offline`, `prompt=consent`, `audience`…). */
  extraParameters?: Readonly<Record<string, string>>;
}

/**
 * The URL the person's browser goes to. Query parameters already in the
 * authorization endpoint are kept (RFC 6749 §3.1).
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.1
 * @see https://www.rfc-editor.org/rfc/rfc7636#section-4.3
 */
export function buildAuthorizationUrl(request: AuthorizationRequest): URL {
  const { server, client, redirectUri, scopes, state, pkce } = request;
  if (typeof state !== 'string' || state === '') throw new TypeError('The authorization request needs a state.');
  if (!URL.canParse(redirectUri)) throw new TypeError('The redirect URI must be an absolute URL.');
  const url = new URL(server.authorization_endpoint);
  for (const [name, value] of Object.entries(request.extraParameters ?? {})) {
    if (RESERVED_AUTHORIZATION_PARAMETERS.has(name)) {
      throw new TypeError(
        `The authorization parameter "${name}" is set by Hitch and cannot be given as an extra parameter.`,
      );
    }
    url.searchParams.set(name, value);
  }
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', client.clientId);
  url.searchParams.set('redirect_uri', redirectUri);
  if (scopes.length > 0)
    url.searchParams.set(request.scopeParameter ?? 'scope', joinScopes(scopes, request.scopeSeparator));
  url.searchParams.set('state', state);
  if (pkce) {
    url.searchParams.set('code_challenge', pkce.challenge);
    url.searchParams.set('code_challenge_method', 'S256');
  }
  return url;
}

/**
 * How a service separates scopes. `+` is what services documenting a "+-separated list"
 * (Unsplash) mean: on the wire a form-encoded space is a `+`, so the scopes are joined with
 * a space and the query or body encoding writes the `+`; a literal `+` would go out as `%2B`.
 */
export type ScopeSeparator = ' ' | ',' | '+';

export function joinScopes(scopes: readonly string[], separator: ScopeSeparator = ' '): string {
  return [...new Set(scopes)].join(separator === '+' ? ' ' : separator);
}
