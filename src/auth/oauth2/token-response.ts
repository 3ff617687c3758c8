import type * as oauth from 'oauth4webapi';
import { invalidResponse } from './errors.ts';
import type { ScopeSeparator } from './authorization-request.ts';
import { lifetimeSeconds, type TokenExpiry } from './token-expiry.ts';
import { failureOf, jsonResponse, readResponse } from './transport.ts';

/** A token endpoint's answer, normalized. */
export interface TokenSet {
  accessToken: string;
  /** Absent when the server sent none: keep the one you had. */
  refreshToken?: string;
  /** Lower-cased (`bearer`). */
  tokenType: string;
  /** Seconds from the moment the answer arrived. */
  expiresIn?: number;
  /** The granted scopes, when the server said; else assume those requested. */
  scope?: string[];
  /**
   * As received and NOT validated: Hitch learns who the account is from the app's
   * verify request, never from this.
   */
  idToken?: string;
  /** The whole parsed answer, for values such as `instance_url`. Holds the tokens too: secret. */
  raw: Record<string, unknown>;
}

export interface TokenResponseOptions {
  /** How the server separates granted scopes. Default `' '`; with `','` or `'+'` that and spaces both separate. */
  scopeSeparator?: ScopeSeparator;
  /** Where the answer says when the access token ends, and in what unit. Default: `expires_in`, seconds. */
  expiry?: TokenExpiry;
}

type Oauth4Process = (response: Response) => Promise<oauth.TokenEndpointResponse>;

/**
 * Reads a token endpoint's answer (RFC 6749 §5.1, §5.2): errors become
 * OAuthProtocolErrors, then oauth4webapi checks the rest — after these documented
 * tolerances for services that bend the spec:
 * - a form-encoded body, or JSON sent with another content type;
 * - an `error` code with status 200 (treated as the error it is);
 * - `token_type` missing (taken as `bearer`) or in any letter case;
 * - `expires_in` as a numeric string; `scope` as an array or comma-separated;
 * - `null` or `""` for optional members (taken as absent);
 * - the lifetime elsewhere or in another unit, as `options.expiry` says (token-expiry.ts).
 * `id_token` is set aside before oauth4webapi sees it (see TokenSet.idToken).
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.1
 */
export async function processTokenEndpointResponse(
  endpoint: string,
  response: Response,
  process: Oauth4Process,
  options: TokenResponseOptions = {},
): Promise<TokenSet> {
  const answer = await readResponse(endpoint, response);
  const failure = failureOf(endpoint, answer, (status) => status === 200);
  if (failure) throw failure;
  const raw = answer.body;
  if (!raw) throw invalidResponse(endpoint, 'it is not JSON.', answer.status);

  const tidy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) if (value !== null && value !== '') tidy[key] = value;
  if (tidy.token_type === undefined) tidy.token_type = 'bearer';
  if (Array.isArray(tidy.scope)) tidy.scope = tidy.scope.map(String).join(' ');
  const idToken = typeof tidy.id_token === 'string' ? tidy.id_token : undefined;
  delete tidy.id_token;
  const arrived = Date.now();
  const declared = options.expiry ? lifetimeSeconds(raw, options.expiry, arrived) : undefined;
  // An `expires_in` in another unit is not RFC 6749's: oauth4webapi would take it as seconds.
  if (options.expiry && options.expiry.member === 'expires_in' && options.expiry.unit !== 'seconds')
    delete tidy.expires_in;

  let checked: oauth.TokenEndpointResponse;
  try {
    checked = await process(jsonResponse(tidy));
  } catch (error) {
    // oauth4webapi's errors carry the body (tokens included) as their cause: keep only the sentence.
    throw invalidResponse(endpoint, error instanceof Error ? error.message : 'unreadable.', answer.status);
  }

  const tokens: TokenSet = { accessToken: checked.access_token, tokenType: checked.token_type, raw };
  if (checked.refresh_token) tokens.refreshToken = checked.refresh_token;
  if (declared !== undefined) tokens.expiresIn = declared;
  else if (checked.expires_in !== undefined) tokens.expiresIn = checked.expires_in;
  if (typeof checked.scope === 'string') tokens.scope = splitScopes(checked.scope, options.scopeSeparator);
  if (idToken) tokens.idToken = idToken;
  return tokens;
}

export function splitScopes(scope: string, separator: ScopeSeparator = ' '): string[] {
  const pattern = separator === ',' ? /[\s,]+/ : separator === '+' ? /[\s+]+/ : /\s+/;
  return scope.split(pattern).filter((s) => s !== '');
}
