import { createPrivateKey, randomUUID, type KeyObject } from 'node:crypto';
import { SignJWT } from 'jose';
import { pemWithLineBreaks } from '../../pem-text.ts';

/**
 * Signed JWTs that Hitch sends as credentials: the assertion of the JWT bearer
 * grant (RFC 7523 §3) and the app JWT of a GitHub App. Signed with `jose`; the
 * key is used here and nowhere else.
 *
 * @see https://www.rfc-editor.org/rfc/rfc7519#section-4.1
 * @see https://www.rfc-editor.org/rfc/rfc7523#section-3
 */

export const ASSERTION_ALGORITHMS = ['RS256', 'ES256', 'HS256'] as const;
export type AssertionAlgorithm = (typeof ASSERTION_ALGORITHMS)[number];

/** The registered claims Hitch sets (RFC 7519 §4.1); `scope` where the service reads it from the assertion. */
export interface AssertionClaims {
  iss: string;
  sub?: string | undefined;
  aud?: string | undefined;
  scope?: string | undefined;
}

/** A key that cannot sign with the algorithm asked for; `reason` says what to fix, without quoting the key. */
export class SigningKeyUnusable extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'SigningKeyUnusable';
  }
}

/** RFC 7518 §3.2: an HMAC key at least as long as the hash. */
const HS256_MIN_BYTES = 32;

/**
 * The PEM as people paste it: Google's JSON has `\n` escapes, which survive a
 * copy from the file's text rather than from the parsed JSON; a one-line field
 * (the web app's) keeps no line breaks at all.
 */
function pemOf(text: string): string {
  return text.includes('\\n') && !text.includes('\n') ? text.replace(/\\n/g, '\n') : pemWithLineBreaks(text);
}

/** The key as the signer takes it, checked against the algorithm. PKCS #8 and PKCS #1 (DocuSign's) PEMs both read. */
export function importSigningKey(key: string, algorithm: AssertionAlgorithm): KeyObject | Uint8Array {
  if (algorithm === 'HS256') {
    const bytes = new TextEncoder().encode(key);
    if (bytes.length < HS256_MIN_BYTES)
      throw new SigningKeyUnusable(`An HS256 shared secret must be at least ${HS256_MIN_BYTES} bytes long.`);
    return bytes;
  }
  let object: KeyObject;
  try {
    object = createPrivateKey({ key: pemOf(key), format: 'pem' });
  } catch {
    throw new SigningKeyUnusable(
      'The private key is not a PEM private key: paste it whole, from -----BEGIN to the END line.',
    );
  }
  const type = object.asymmetricKeyType;
  if (algorithm === 'RS256' && type !== 'rsa')
    throw new SigningKeyUnusable(`RS256 needs an RSA private key; this one is ${type ?? 'of another type'}.`);
  if (algorithm === 'ES256' && (type !== 'ec' || object.asymmetricKeyDetails?.namedCurve !== 'prime256v1'))
    throw new SigningKeyUnusable('ES256 needs an EC private key on the P-256 curve.');
  return object;
}

export interface SignAssertionInput {
  claims: AssertionClaims;
  key: KeyObject | Uint8Array;
  algorithm: AssertionAlgorithm;
  keyId?: string | undefined;
  /** Seconds from `iat` to `exp`. */
  lifetimeSeconds: number;
  /** Seconds `iat` is set in the past, for a service whose clock runs ahead (GitHub recommends 60). */
  backdateSeconds?: number;
  /** Seconds since the epoch; tests pass a fixed clock. */
  now?: number;
}

/** A compact JWS over the claims, with `iat`, `exp` and a fresh `jti` (RFC 7523 §3, items 4–7). */
export async function signAssertion(input: SignAssertionInput): Promise<string> {
  const now = input.now ?? Math.floor(Date.now() / 1000);
  const issuedAt = now - (input.backdateSeconds ?? 0);
  const { iss, sub, aud, scope } = input.claims;
  const jwt = new SignJWT(scope !== undefined ? { scope } : {})
    .setProtectedHeader({ alg: input.algorithm, typ: 'JWT', ...(input.keyId ? { kid: input.keyId } : {}) })
    .setIssuer(iss)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + input.lifetimeSeconds)
    .setJti(randomUUID());
  if (sub) jwt.setSubject(sub);
  if (aud) jwt.setAudience(aud);
  return jwt.sign(input.key);
}
