import { randomBytes } from 'node:crypto';
import { rfc3986, sign, type Parameters } from 'oauth-sign';

/**
 * Signing one request (RFC 5849 §3.4). `oauth-sign` builds the base string from
 * the collected parameters and computes the signature; collecting them — the
 * base string URI, the query, a form body, the protocol parameters — is done
 * here, because that is where the RFC's rules (form decoding, repeated names,
 * the default port) are easy to get wrong.
 */

export const SIGNATURE_METHODS = ['HMAC-SHA1', 'HMAC-SHA256', 'RSA-SHA1', 'PLAINTEXT'] as const;
export type SignatureMethod = (typeof SIGNATURE_METHODS)[number];

/** The client credentials (RFC 5849 §1.1) and how they sign. */
export interface OAuth1Client {
  consumerKey: string;
  signatureMethod: SignatureMethod;
  /** HMAC-* and PLAINTEXT sign with it. */
  consumerSecret: string;
  /** RSA-SHA1 signs with this PEM private key instead (§3.4.3). */
  privateKey?: string | undefined;
  /** `realm` of the Authorization header (§3.5.1), when the service wants one. */
  realm?: string | undefined;
}

/** Temporary or token credentials (§1.1): the token sent, the secret that signs. */
export interface OAuth1Token {
  token: string;
  tokenSecret: string;
}

/** The request as it goes on the wire. */
export interface SignedRequest {
  method: string;
  url: URL;
  /** Decoded when the body is `application/x-www-form-urlencoded` (§3.4.1.3.1); null otherwise. */
  form: string | null;
}

const FORM = 'application/x-www-form-urlencoded';

/** The body a signature covers: only a single-part form body (§3.4.1.3.1), as text. */
export function formBody(contentType: string | undefined, body: string | Uint8Array | null): string | null {
  if (body === null || contentType?.split(';')[0]!.trim().toLowerCase() !== FORM) return null;
  return typeof body === 'string' ? body : Buffer.from(body).toString('utf8');
}

/**
 * §3.4.1.2: scheme and host in lower case, the port only when it is not the
 * scheme's default, then the path; no query, no fragment. WHATWG URL parsing has
 * already lowered the scheme and host and dropped a default port.
 */
export function baseStringUri(url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname}`;
}

/**
 * §3.4.1.3.1: the query and a form body, each decoded as
 * `application/x-www-form-urlencoded` (`+` is a space), with the protocol
 * parameters but `oauth_signature` (and `realm`, which is never among them).
 * A name given several times keeps every value.
 */
export function signatureParameters(request: SignedRequest, protocol: Readonly<Record<string, string>>): Parameters {
  const out: Record<string, string[]> = Object.create(null) as Record<string, string[]>;
  const add = (name: string, value: string) => (out[name] ??= []).push(value);
  for (const [name, value] of request.url.searchParams) add(name, value);
  if (request.form !== null) for (const [name, value] of new URLSearchParams(request.form)) add(name, value);
  for (const [name, value] of Object.entries(protocol)) if (name !== 'oauth_signature') add(name, value);
  return out;
}

/** A nonce unique to the request (§3.3): 128 random bits. */
export function newNonce(): string {
  return randomBytes(16).toString('hex');
}

/**
 * The protocol parameters of one request, `oauth_signature` included (§3.1):
 * a fresh nonce and timestamp each time, the token when there is one, and any
 * step's own (`oauth_callback`, `oauth_verifier`).
 */
export function signRequest(
  request: SignedRequest,
  client: OAuth1Client,
  token: OAuth1Token | null,
  extra: Readonly<Record<string, string>> = {},
  now: number = Date.now(),
): Record<string, string> {
  // §3.4.4: PLAINTEXT sends the secrets themselves, so only over TLS.
  if (client.signatureMethod === 'PLAINTEXT' && request.url.protocol !== 'https:')
    throw new TypeError('PLAINTEXT signatures are sent only over https:// (RFC 5849 §3.4.4).');
  if (client.signatureMethod === 'RSA-SHA1' && !client.privateKey)
    throw new TypeError('RSA-SHA1 signatures need the private key.');
  const protocol: Record<string, string> = {
    ...extra,
    oauth_consumer_key: client.consumerKey,
    ...(token ? { oauth_token: token.token } : {}),
    oauth_signature_method: client.signatureMethod,
    oauth_timestamp: String(Math.floor(now / 1000)),
    oauth_nonce: newNonce(),
    oauth_version: '1.0',
  };
  const signingKey = client.signatureMethod === 'RSA-SHA1' ? client.privateKey! : client.consumerSecret;
  protocol.oauth_signature = sign(
    client.signatureMethod,
    request.method,
    baseStringUri(request.url),
    signatureParameters(request, protocol),
    signingKey,
    token?.tokenSecret ?? '',
  );
  return protocol;
}

/** §3.5.1: `Authorization: OAuth realm="…", name="value", …`, every name and value percent-encoded (§3.6). */
export function authorizationHeader(protocol: Readonly<Record<string, string>>, realm?: string): string {
  const pairs = Object.entries(protocol).map(([name, value]) => `${rfc3986(name)}="${rfc3986(value)}"`);
  return `OAuth ${[...(realm !== undefined ? [`realm="${realm.replace(/["\\]/g, '')}"`] : []), ...pairs].join(', ')}`;
}
