import type * as oauth from 'oauth4webapi';
import type { ScopeSeparator } from './authorization-request.ts';
import { toAuthorizationServer, toClient, toClientAuth, type ClientContext } from './client.ts';
import type { TokenExpiry } from './token-expiry.ts';
import { processTokenEndpointResponse, type TokenSet } from './token-response.ts';
import { send, toFetchOptions, type ProtocolOptions } from './transport.ts';

/** What every call to the token endpoint takes. */
export interface TokenRequestInput extends ClientContext, ProtocolOptions {
  /** App-specific body parameters; they never replace the grant's own. */
  extraParameters?: Readonly<Record<string, string>>;
  /** Extra headers (not `authorization`, which client authentication sets). */
  headers?: Readonly<Record<string, string>>;
  /** How the server separates scopes, in requests and in its answer. Default `' '`. */
  scopeSeparator?: ScopeSeparator;
  /**
   * `form` (RFC 6749 §4.1.3: application/x-www-form-urlencoded, the default) or `json`, for
   * token endpoints that document a JSON body: the same parameters as one JSON object.
   */
  bodyEncoding?: 'form' | 'json';
  /** Where the answer gives the token's lifetime; default `expires_in` in seconds. */
  expiry?: TokenExpiry;
}

type Oauth4Request = (
  as: oauth.AuthorizationServer,
  client: oauth.Client,
  clientAuth: oauth.ClientAuth,
  options: oauth.TokenEndpointRequestOptions,
) => Promise<Response>;

type Oauth4Process = (
  as: oauth.AuthorizationServer,
  client: oauth.Client,
  response: Response,
) => Promise<oauth.TokenEndpointResponse>;

/**
 * A fetch that sends oauth4webapi's form body as a JSON object instead: oauth4webapi still
 * builds the request (grant, client authentication, PKCE), only the encoding changes.
 */
export function sendingJsonBody(fetch: typeof globalThis.fetch): typeof globalThis.fetch {
  return (input, init) => {
    const body = init?.body;
    if (!(body instanceof URLSearchParams) && typeof body !== 'string') return fetch(input, init);
    const headers = new Headers(init?.headers);
    headers.set('content-type', 'application/json');
    return fetch(input, { ...init, headers, body: JSON.stringify(Object.fromEntries(new URLSearchParams(body))) });
  };
}

/** Sends one token request through oauth4webapi and reads the answer into a TokenSet. */
export async function tokenEndpointCall(
  input: TokenRequestInput,
  request: Oauth4Request,
  process: Oauth4Process,
): Promise<TokenSet> {
  const as = toAuthorizationServer(input.server);
  const client = toClient(input.client);
  const clientAuth = toClientAuth(input.client, input.clientAuth);
  const transport = input.bodyEncoding === 'json' ? { ...input, fetch: sendingJsonBody(input.fetch) } : input;
  const options: oauth.TokenEndpointRequestOptions = {
    ...toFetchOptions(transport),
    ...(input.extraParameters ? { additionalParameters: { ...input.extraParameters } } : {}),
    ...(input.headers ? { headers: { ...input.headers } } : {}),
  };
  const endpoint = 'token endpoint';
  const response = await send(endpoint, () => request(as, client, clientAuth, options));
  return processTokenEndpointResponse(endpoint, response, (tidy) => process(as, client, tidy), {
    ...(input.scopeSeparator ? { scopeSeparator: input.scopeSeparator } : {}),
    ...(input.expiry ? { expiry: input.expiry } : {}),
  });
}
