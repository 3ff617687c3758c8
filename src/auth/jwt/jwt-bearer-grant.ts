import * as oauth from 'oauth4webapi';
import { joinScopes } from '../oauth2/authorization-request.ts';
import { processTokenEndpointResponse, type TokenSet } from '../oauth2/token-response.ts';
import { send, toFetchOptions, type ProtocolOptions } from '../oauth2/transport.ts';

/** RFC 7523 §2.1's grant type. */
export const JWT_BEARER_GRANT_TYPE = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

export interface JwtBearerGrantInput extends ProtocolOptions {
  tokenEndpoint: string;
  /** The signed assertion (see assertion.ts). */
  assertion: string;
  /** Sent as `scope` in the body, for services that read it there rather than from the assertion. */
  scopes?: readonly string[];
  scopeSeparator?: ' ' | ',';
  headers?: Readonly<Record<string, string>>;
}

/**
 * The assertion authenticates on its own (RFC 7521 §4.1: client authentication is
 * optional), so nothing else goes into the body: not even a `client_id`, which some
 * services refuse beside an assertion.
 */
const assertionOnly: oauth.ClientAuth = () => undefined;

/**
 * A JWT as an authorization grant: the assertion is exchanged for an access token;
 * there is no refresh token, the caller signs a new assertion instead. Errors come
 * back as OAuthProtocolError (RFC 7523 §3.1: a bad assertion is `invalid_grant`).
 *
 * @see https://www.rfc-editor.org/rfc/rfc7523#section-2.1
 */
export async function jwtBearerGrant(input: JwtBearerGrantInput): Promise<TokenSet> {
  if (typeof input.assertion !== 'string' || input.assertion === '') throw new TypeError('assertion is required.');
  const as: oauth.AuthorizationServer = { issuer: 'urn:hitch:issuer-unknown', token_endpoint: input.tokenEndpoint };
  // oauth4webapi wants a client; with `assertionOnly` its id is never sent.
  const client: oauth.Client = { client_id: 'jwt-bearer' };
  const parameters = new URLSearchParams({ assertion: input.assertion });
  if (input.scopes?.length) parameters.set('scope', joinScopes(input.scopes, input.scopeSeparator));
  const endpoint = 'token endpoint';
  const response = await send(endpoint, () =>
    oauth.genericTokenEndpointRequest(as, client, assertionOnly, JWT_BEARER_GRANT_TYPE, parameters, {
      ...toFetchOptions(input),
      ...(input.headers ? { headers: { ...input.headers } } : {}),
    }),
  );
  return processTokenEndpointResponse(
    endpoint,
    response,
    (tidy) => oauth.processGenericTokenEndpointResponse(as, client, tidy),
    input.scopeSeparator ? { scopeSeparator: input.scopeSeparator } : {},
  );
}
