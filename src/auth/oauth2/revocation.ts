import * as oauth from 'oauth4webapi';
import { toAuthorizationServer, toClient, toClientAuth, type ClientContext } from './client.ts';
import { sendingJsonBody } from './token-request.ts';
import { failureOf, readResponse, send, toFetchOptions, type ProtocolOptions } from './transport.ts';

export interface RevocationInput extends ClientContext, ProtocolOptions {
  token: string;
  tokenTypeHint?: 'access_token' | 'refresh_token';
  extraParameters?: Readonly<Record<string, string>>;
  headers?: Readonly<Record<string, string>>;
  /**
   * `form` (RFC 7009 §2.1, the default) or `json`, for revocation endpoints documented with a JSON
   * body: Notion's `POST /v1/oauth/revoke` (https://developers.notion.com/reference/revoke-token).
   */
  bodyEncoding?: 'form' | 'json';
}

/**
 * Asks the server to revoke a token. Revoking a refresh token usually ends the
 * whole grant. A token the server does not know is still a success (RFC 7009 §2.2).
 * Requires `server.revocation_endpoint`.
 *
 * @see https://www.rfc-editor.org/rfc/rfc7009#section-2
 */
export async function revokeToken(input: RevocationInput): Promise<void> {
  if (!input.server.revocation_endpoint) throw new TypeError('This authorization server has no revocation endpoint.');
  if (typeof input.token !== 'string' || input.token === '') throw new TypeError('token is required.');
  const as = toAuthorizationServer(input.server);
  const client = toClient(input.client);
  const clientAuth = toClientAuth(input.client, input.clientAuth);
  const additionalParameters = new URLSearchParams(input.extraParameters);
  if (input.tokenTypeHint) additionalParameters.set('token_type_hint', input.tokenTypeHint);
  const endpoint = 'revocation endpoint';
  const transport = input.bodyEncoding === 'json' ? { ...input, fetch: sendingJsonBody(input.fetch) } : input;
  const response = await send(endpoint, () =>
    oauth.revocationRequest(as, client, clientAuth, input.token, {
      ...toFetchOptions(transport),
      additionalParameters,
      ...(input.headers ? { headers: { ...input.headers } } : {}),
    }),
  );
  // Any 2xx is a success: some services answer 204, and the body means nothing here.
  const failure = failureOf(
    endpoint,
    await readResponse(endpoint, response),
    (status) => status >= 200 && status < 300,
  );
  if (failure) throw failure;
}
