import * as oauth from 'oauth4webapi';
import { tokenEndpointCall, type TokenRequestInput } from './token-request.ts';
import type { TokenSet } from './token-response.ts';

/** RFC 8693 §2.1's grant type. */
export const TOKEN_EXCHANGE_GRANT_TYPE = 'urn:ietf:params:oauth:grant-type:token-exchange';

export interface TokenExchangeGrantInput extends TokenRequestInput {
  /** The token given up in exchange: a secret, never logged. */
  subjectToken: string;
  subjectTokenType: string;
  requestedTokenType?: string;
}

/**
 * Trades one token for another at the token endpoint. Hitch uses it to move a connection whose
 * token never expires to an expiring one with a refresh token, where the service documents that
 * exchange (Shopify's non-expiring offline tokens).
 *
 * @see https://www.rfc-editor.org/rfc/rfc8693#section-2.1
 */
export async function tokenExchangeGrant(input: TokenExchangeGrantInput): Promise<TokenSet> {
  if (typeof input.subjectToken !== 'string' || input.subjectToken === '')
    throw new TypeError('subjectToken is required.');
  if (typeof input.subjectTokenType !== 'string' || input.subjectTokenType === '')
    throw new TypeError('subjectTokenType is required.');
  const parameters = new URLSearchParams(input.extraParameters);
  parameters.set('subject_token', input.subjectToken);
  parameters.set('subject_token_type', input.subjectTokenType);
  if (input.requestedTokenType) parameters.set('requested_token_type', input.requestedTokenType);
  return tokenEndpointCall(
    { ...input, extraParameters: undefined },
    (as, client, clientAuth, options) =>
      oauth.genericTokenEndpointRequest(as, client, clientAuth, TOKEN_EXCHANGE_GRANT_TYPE, parameters, options),
    (as, client, response) => oauth.processGenericTokenEndpointResponse(as, client, response),
  );
}
