import * as oauth from 'oauth4webapi';

/** A PKCE pair: the verifier stays with Hitch, the challenge goes in the authorization URL. */
export interface Pkce {
  verifier: string;
  challenge: string;
  method: 'S256';
}

/**
 * A fresh verifier (32 random bytes, base64url) and its S256 challenge.
 *
 * @see https://www.rfc-editor.org/rfc/rfc7636#section-4.1
 * @see https://www.rfc-editor.org/rfc/rfc7636#section-4.2
 */
export async function createPkce(): Promise<Pkce> {
  const verifier = oauth.generateRandomCodeVerifier();
  return { verifier, challenge: await calculateCodeChallenge(verifier), method: 'S256' };
}

/** BASE64URL(SHA256(verifier)). @see https://www.rfc-editor.org/rfc/rfc7636#section-4.2 */
export function calculateCodeChallenge(verifier: string): Promise<string> {
  return oauth.calculatePKCECodeChallenge(verifier);
}
