import { placeOAuth1Signature } from '../inject.ts';
import type { Outbound } from '../../outbound/types.ts';
import type { OAuth1Client, OAuth1Token } from './signature.ts';
import { credentialsOf, malformed, callSigned } from './transport.ts';

const ENDPOINT = 'request-token endpoint';

/**
 * RFC 5849 §2.1: temporary credentials (the request token) for one authorization,
 * with the callback the person is sent back to. The answer must confirm the
 * callback (`oauth_callback_confirmed=true`): a server that does not speaks
 * OAuth 1.0 without the "a", whose flow lets an attacker swap the request token.
 *
 * @see https://www.rfc-editor.org/rfc/rfc5849#section-2.1
 */
export async function temporaryCredentialsRequest(
  outbound: Outbound,
  input: { url: string; method?: 'POST' | 'GET'; client: OAuth1Client; callback: string },
): Promise<OAuth1Token> {
  const answer = await callSigned(outbound, {
    endpoint: ENDPOINT,
    url: input.url,
    method: input.method,
    signature: placeOAuth1Signature(input.client, null, { oauth_callback: input.callback }),
    refused: 'invalid_client',
  });
  return processTemporaryCredentialsResponse(answer);
}

/** §2.1's answer checked: the temporary credentials, and the callback confirmed. */
export function processTemporaryCredentialsResponse(answer: URLSearchParams): OAuth1Token {
  const credentials = credentialsOf(ENDPOINT, answer);
  if (answer.get('oauth_callback_confirmed') !== 'true')
    throw malformed(ENDPOINT, 'oauth_callback_confirmed is not "true" (the service may not speak OAuth 1.0a).');
  return credentials;
}
