import * as oauth from 'oauth4webapi';
import { joinScopes } from './authorization-request.ts';
import { tokenEndpointCall, type TokenRequestInput } from './token-request.ts';
import type { TokenSet } from './token-response.ts';

export interface ClientCredentialsGrantInput extends TokenRequestInput {
  scopes?: readonly string[];
}

/**
 * A token for the client itself, no person involved.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.4
 */
export async function clientCredentialsGrant(input: ClientCredentialsGrantInput): Promise<TokenSet> {
  const parameters = new URLSearchParams(input.extraParameters);
  if (input.scopes?.length) parameters.set('scope', joinScopes(input.scopes, input.scopeSeparator));
  return tokenEndpointCall(
    { ...input, extraParameters: undefined },
    (as, client, clientAuth, options) =>
      oauth.clientCredentialsGrantRequest(as, client, clientAuth, parameters, options),
    (as, client, response) => oauth.processClientCredentialsResponse(as, client, response),
  );
}
