import * as oauth from 'oauth4webapi';
import { toAuthorizationServer, toClient, type ClientContext } from './client.ts';
import { OAuthProtocolError } from './errors.ts';
import type { TokenExpiry } from './token-expiry.ts';
import { processTokenEndpointResponse, type TokenSet } from './token-response.ts';
import { readResponse, send, toFetchOptions, type ProtocolOptions, type ReadResponse } from './transport.ts';

export interface LongLivedTokenRequestInput extends ClientContext, ProtocolOptions {
  /** The endpoint, e.g. `https://graph.instagram.com/access_token`. */
  url: string;
  /** `ig_exchange_token`, `ig_refresh_token` (Threads: `th_exchange_token`, `th_refresh_token`). */
  grantType: string;
  /** The token given up: the short-lived one for an exchange, the long-lived one for a refresh. A secret. */
  accessToken: string;
  /** The query parameter that carries it: `access_token`, or Facebook Login's `fb_exchange_token`. */
  tokenParameter: string;
  /** Whether the query carries the client ID as `client_id` (Facebook Login's exchange does). */
  sendClientId: boolean;
  /** Whether the query carries the client secret as `client_secret` (the exchanges do; Instagram's refresh does not). */
  sendClientSecret: boolean;
  /** Extra headers (never credentials: those are in the query, as the service documents). */
  headers?: Readonly<Record<string, string>>;
  expiry?: TokenExpiry;
}

/**
 * Graph API error codes (https://developers.facebook.com/docs/graph-api/guides/error-handling):
 * 190 is an access token that has expired or was revoked ("get a new access token"), which for a
 * token that is its own grant means the grant is gone; the others are Meta's "wait and retry".
 */
const GRAPH_TOKEN_GONE = new Set([190]);
const GRAPH_RETRY_LATER = new Set([1, 2, 4, 17, 341]);

/**
 * Trades an access token for a long-lived one with a GET whose query carries the token — Meta's
 * way for Instagram API with Instagram Login and Threads, which give no refresh token: right
 * after the code exchange, the one-hour token is exchanged (`ig_exchange_token`, with the client
 * secret) for one of 60 days; before that one ends, it is refreshed (`ig_refresh_token`) for
 * another 60 days. Facebook Login's exchange is the same GET with `fb_exchange_token` and the client ID
 * and secret. The answer is read like a token endpoint's (`access_token`, `token_type`,
 * `expires_in`); a Graph API error object (`{ error: { code, message } }`) is read for its code.
 *
 * @see https://developers.facebook.com/documentation/instagram-platform/reference/access_token
 * @see https://developers.facebook.com/documentation/instagram-platform/reference/refresh_access_token
 * @see https://developers.facebook.com/documentation/facebook-login/guides/access-tokens/get-long-lived
 */
export async function longLivedTokenRequest(input: LongLivedTokenRequestInput): Promise<TokenSet> {
  if (typeof input.accessToken !== 'string' || input.accessToken === '')
    throw new TypeError('accessToken is required.');
  if (typeof input.grantType !== 'string' || input.grantType === '') throw new TypeError('grantType is required.');
  const url = new URL(input.url);
  if (url.protocol !== 'https:' && input.allowInsecureRequests !== true)
    throw new TypeError('The token endpoint must be an https:// URL (allowInsecureRequests is not set).');
  url.searchParams.set('grant_type', input.grantType);
  if (input.sendClientId) url.searchParams.set('client_id', input.client.clientId);
  if (input.sendClientSecret) {
    if (typeof input.client.clientSecret !== 'string' || input.client.clientSecret === '')
      throw new TypeError('The OAuth client needs a client secret.');
    url.searchParams.set('client_secret', input.client.clientSecret);
  }
  url.searchParams.set(input.tokenParameter, input.accessToken);

  const { signal } = toFetchOptions(input);
  const endpoint = 'token endpoint';
  const response = await send(endpoint, () =>
    input.fetch(url, {
      method: 'GET',
      headers: { ...input.headers, accept: 'application/json' },
      redirect: 'manual',
      signal,
    }),
  );
  const as = toAuthorizationServer(input.server);
  const client = toClient(input.client);
  const answer = await readResponse(endpoint, response);
  const failure = graphApiFailure(endpoint, answer);
  if (failure) throw failure;
  // Read once: the body is handed on as it came for the token endpoint's checks.
  const replayed = new Response(answer.body ? JSON.stringify(answer.body) : null, {
    status: answer.status,
    headers: { 'content-type': 'application/json' },
  });
  return processTokenEndpointResponse(
    endpoint,
    replayed,
    (tidy) => oauth.processGenericTokenEndpointResponse(as, client, tidy),
    input.expiry ? { expiry: input.expiry } : {},
  );
}

/** The failure a Graph API error object names, when the answer is one; else undefined (RFC 6749 errors are read later). */
function graphApiFailure(endpoint: string, answer: ReadResponse): OAuthProtocolError | undefined {
  const { status } = answer;
  const error = answer.body?.error;
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof code !== 'number') return undefined;
  const description = typeof message === 'string' ? message : undefined;
  if (GRAPH_TOKEN_GONE.has(code))
    return new OAuthProtocolError({
      kind: 'rejected',
      error: 'invalid_grant',
      message: `The ${endpoint} refused the token: it has expired or was revoked (Graph API error ${code}).`,
      description,
      status,
      answered: true,
    });
  if (GRAPH_RETRY_LATER.has(code) || status >= 500 || status === 429)
    return new OAuthProtocolError({
      kind: 'transient',
      error: 'temporarily_unavailable',
      message: `The ${endpoint} is unavailable for now (Graph API error ${code}).`,
      description,
      status,
      answered: true,
    });
  return new OAuthProtocolError({
    kind: 'rejected',
    error: 'invalid_request',
    message: `The ${endpoint} refused the request (Graph API error ${code}).`,
    description,
    status,
    answered: true,
  });
}
