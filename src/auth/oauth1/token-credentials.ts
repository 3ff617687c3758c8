import { placeOAuth1Signature } from '../inject.ts';
import type { Outbound } from '../../outbound/types.ts';
import type { OAuth1Client, OAuth1Token } from './signature.ts';
import { credentialsOf, callSigned } from './transport.ts';

const ENDPOINT = 'access-token endpoint';

/** Token credentials, and the rest of the answer (some services name the account there: `user_id`, `screen_name`). */
export interface TokenCredentials extends OAuth1Token {
  /** The whole answer; holds the token and its secret: never log it. */
  raw: URLSearchParams;
}

/**
 * RFC 5849 §2.3: the temporary credentials and the verifier exchanged for token
 * credentials, signed with the temporary credentials' secret.
 *
 * @see https://www.rfc-editor.org/rfc/rfc5849#section-2.3
 */
export async function tokenCredentialsRequest(
  outbound: Outbound,
  input: { url: string; method?: 'POST' | 'GET'; client: OAuth1Client; temporary: OAuth1Token; verifier: string },
): Promise<TokenCredentials> {
  const answer = await callSigned(outbound, {
    endpoint: ENDPOINT,
    url: input.url,
    method: input.method,
    signature: placeOAuth1Signature(input.client, input.temporary, { oauth_verifier: input.verifier }),
    refused: 'invalid_grant',
  });
  return { ...credentialsOf(ENDPOINT, answer), raw: answer };
}
