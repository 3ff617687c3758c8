import type * as oauth from 'oauth4webapi';
import { toAuthorizationServer, toClient, toClientAuth, type ClientContext } from './client.ts';
import { processTokenEndpointResponse, type TokenSet } from './token-response.ts';
import { send, toFetchOptions, type ProtocolOptions } from './transport.ts';

/** What every call to the token endpoint takes. */
export interface TokenRequestInput extends ClientContext, ProtocolOptions {
  /** App-specific body parameters; they never replace the grant's own. */
  extraParameters?: Readonly<Record<string, string>>;
  /** Extra headers (not `authorization`, which client authentication sets). */
  headers?: Readonly<Record<string, string>>;
  /** How the server separates scopes, in requests and in its answer. Default `' '`. */
  scopeSeparator?: ' ' | ',';
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

/** Sends one token request through oauth4webapi and reads the answer into a TokenSet. */
export async function tokenEndpointCall(
  input: TokenRequestInput,
  request: Oauth4Request,
  process: Oauth4Process,
): Promise<TokenSet> {
  const as = toAuthorizationServer(input.server);
  const client = toClient(input.client);
  const clientAuth = toClientAuth(input.client, input.clientAuth);
  const options: oauth.TokenEndpointRequestOptions = {
    ...toFetchOptions(input),
    ...(input.extraParameters ? { additionalParameters: { ...input.extraParameters } } : {}),
    ...(input.headers ? { headers: { ...input.headers } } : {}),
  };
  const endpoint = 'token endpoint';
  const response = await send(endpoint, () => request(as, client, clientAuth, options));
  return processTokenEndpointResponse(endpoint, response, (tidy) => process(as, client, tidy), {
    ...(input.scopeSeparator ? { scopeSeparator: input.scopeSeparator } : {}),
  });
}
