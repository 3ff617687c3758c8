/**
 * Types for `oauth-sign` (request's OAuth 1.0 signer), which ships none: the
 * signature base string of RFC 5849 §3.4.1 from parameters already collected,
 * and the four signature methods of §3.4.2–3.4.4 (and HMAC-SHA256).
 */
declare module 'oauth-sign' {
  export type SignatureMethod = 'HMAC-SHA1' | 'HMAC-SHA256' | 'RSA-SHA1' | 'PLAINTEXT';
  /** Names to values; a name given several times has a list. */
  export type Parameters = Record<string, string | string[]>;
  /**
   * The `oauth_signature` value. `secretOrKey` is the consumer secret, or for
   * RSA-SHA1 the PEM private key; `tokenSecret` is empty before there is a token.
   */
  export function sign(
    method: SignatureMethod,
    httpMethod: string,
    baseUri: string,
    parameters: Parameters,
    secretOrKey: string,
    tokenSecret: string,
  ): string;
  /** RFC 5849 §3.4.1: the signature base string. */
  export function generateBase(httpMethod: string, baseUri: string, parameters: Parameters): string;
  /** RFC 5849 §3.6: percent-encoding that keeps only RFC 3986's unreserved characters. */
  export function rfc3986(value: string): string;
}
