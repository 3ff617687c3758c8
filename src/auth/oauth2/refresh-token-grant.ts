import * as oauth from 'oauth4webapi';
import { joinScopes } from './authorization-request.ts';
import { tokenEndpointCall, type TokenRequestInput } from './token-request.ts';
import type { TokenSet } from './token-response.ts';

export interface RefreshTokenGrantInput extends TokenRequestInput {
  refreshToken: string;
  /** Narrows the scopes of the new access token; usually omitted. */
  scopes?: readonly string[];
}

/**
 * Uses a refresh token for a new access token. The server may rotate the refresh
 * token: when `refreshToken` is absent from the result, keep the old one; when it is
 * present, the old one is spent — servers such as oidc-provider revoke the whole grant
 * if it is ever sent again.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-6
 */
export async function refreshTokenGrant(input: RefreshTokenGrantInput): Promise<TokenSet> {
  if (typeof input.refreshToken !== 'string' || input.refreshToken === '')
    throw new TypeError('refreshToken is required.');
  const extraParameters: Record<string, string> = { ...input.extraParameters };
  if (input.scopes?.length) extraParameters.scope = joinScopes(input.scopes, input.scopeSeparator);
  return tokenEndpointCall(
    { ...input, extraParameters },
    (as, client, clientAuth, options) =>
      oauth.refreshTokenGrantRequest(as, client, clientAuth, input.refreshToken, options),
    (as, client, response) => oauth.processRefreshTokenResponse(as, client, response),
  );
}
