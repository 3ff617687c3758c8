import * as oauth from 'oauth4webapi';
import { checkAuthorizationResponse } from './authorization-response.ts';
import { tokenEndpointCall, type TokenRequestInput } from './token-request.ts';
import type { TokenSet } from './token-response.ts';

export interface AuthorizationCodeGrantInput extends TokenRequestInput {
  /** The same redirect URI the authorization request carried. */
  redirectUri: string;
  /** The query that reached the callback. */
  callbackParameters: URLSearchParams;
  expectedState: string;
  /** The PKCE verifier of this flow, or null when the app opted out of PKCE. */
  pkceVerifier: string | null;
  /** The issuer this flow's server must report in `iss`; default `server.issuer`. */
  expectedIssuer?: string;
  /** The callback parameter carrying the code, when it is not `code` (see validateAuthorizationResponse). */
  codeParameter?: string;
}

/**
 * Validates the authorization response (see validateAuthorizationResponse: state,
 * RFC 9207 `iss`, `error`) and only then exchanges the code for tokens.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.3
 * @see https://www.rfc-editor.org/rfc/rfc7636#section-4.5
 */
export async function exchangeAuthorizationCode(input: AuthorizationCodeGrantInput): Promise<TokenSet> {
  const { validated } = checkAuthorizationResponse({
    server: input.server,
    client: input.client,
    callbackParameters: input.callbackParameters,
    expectedState: input.expectedState,
    expectedIssuer: input.expectedIssuer,
    ...(input.codeParameter ? { codeParameter: input.codeParameter } : {}),
  });
  // Catalog apps with `pkce: false` refuse a code_verifier; oauth4webapi marks nopkce deprecated only so it stands out.
  // oxlint-disable-next-line typescript/no-deprecated -- no replacement exists; see above
  const verifier = input.pkceVerifier ?? oauth.nopkce;
  return tokenEndpointCall(
    input,
    (as, client, clientAuth, options) =>
      oauth.authorizationCodeGrantRequest(as, client, clientAuth, validated, input.redirectUri, verifier, options),
    (as, client, response) => oauth.processAuthorizationCodeResponse(as, client, response),
  );
}
