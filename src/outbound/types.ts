import type { Readable } from 'node:stream';

/**
 * Who a call is made for decides which addresses it may reach:
 * - `user`: URLs people typed or services chose (generic OAuth endpoints, base URLs,
 *   module URLs, webhooks): private, loopback, link-local and metadata addresses are
 *   refused unless HITCH_ALLOW_PRIVATE_NETWORK or HITCH_ALLOWED_HOSTS says otherwise.
 * All outbound calls are `user` calls today; the type leaves room for a trusted kind.
 */
export type NetworkPolicyName = 'user';

export interface OutboundRequest {
  /** A URL object is read, never changed, and kept for the call: the caller must not change it until the call returns. */
  url: string | URL;
  method?: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array | Readable | null;
  /** Overall deadline for headers and body, ms. Default 15 000. */
  timeoutMs?: number;
  /** Largest response body accepted when buffering, bytes. Default 5 MiB. */
  maxResponseBytes?: number;
  /** Redirects to follow (default 5; 0 to return 3xx as they are). Credentials are dropped on a change of origin. */
  maxRedirects?: number;
  signal?: AbortSignal;
  /**
   * Every credential this call carries, placed by the client itself: on the first
   * request and on redirects that stay on its origin. From the first redirect to
   * another origin on, every one of them is dropped for the rest of the chain —
   * headers by name, query parameters taken off the next URL — and none of their
   * values reaches a log line. Give credentials here, never in `headers` or `url`:
   * what is here is what the guarantee covers, whatever the names.
   */
  credentials?: readonly PlacedCredential[];
  /**
   * A client certificate for mutual TLS (the Client Certificate modules), a credential
   * like the ones above: shown to the first request's origin and to same-origin
   * redirects, never after the chain has left that origin. `ca` is a server
   * certificate the person chose to trust for this call (Make's "Self-signed
   * certificate" field), trusted for the same hops; elsewhere Node's trust store
   * decides, as for every call.
   */
  tls?: OutboundTls;
}

/**
 * A credential ready to go on a request. Every kind of authorization (OAuth
 * tokens, API keys, Basic, keychain keys, webhook signatures, OAuth 1.0a
 * signatures) is reduced to a list of these, and the outbound client is the one
 * place that puts them on requests (and takes them off on a change of origin).
 */
export type PlacedCredential = PlacedValue | PlacedSignature;

/**
 * A fixed value in a header, a query parameter, or the start of the path
 * (`in: 'path'`: the path begins with `name` then the value, Telegram's `/bot<token>`).
 */
export interface PlacedValue {
  in: 'header' | 'query' | 'path';
  /** The header or query parameter name; for `path`, what the path starts with before the value (`/bot`). */
  name: string;
  value: string;
}

/**
 * A header computed from each request it goes on — OAuth 1.0a's signature covers
 * the method, the URL, its query and a form body (RFC 5849 §3.4) — so the client
 * calls `sign` for every hop that still carries credentials, just before it
 * leaves: a redirect on the same origin is signed again, with a fresh nonce and
 * timestamp, and no hop after a change of origin is signed at all.
 */
export interface PlacedSignature {
  in: 'signature';
  /** The header the signature goes in (`Authorization`). */
  name: string;
  /**
   * Every secret the signature carries or is made from (the token, the consumer
   * and token secrets, a private key): stripped and redacted like placed values.
   */
  secrets: readonly string[];
  /** The header's value for this request as it is about to be sent. */
  sign(request: RequestToSign): string;
}

/** What a signature covers: the request as it goes on the wire. */
export interface RequestToSign {
  method: string;
  url: URL;
  /** Lower-case names. */
  headers: Readonly<Record<string, string>>;
  /** The body when it is held whole; a streamed body is never signed (see placeCredentials). */
  body: string | Uint8Array | null;
}

export interface OutboundTls {
  cert: string;
  key: string;
  passphrase?: string;
  ca?: string;
}

export interface OutboundResponse {
  status: number;
  headers: Record<string, string>;
  /** The final URL after redirects. */
  url: string;
  body: Buffer;
  text(): string;
  /** Parses JSON; throws HitchError('upstream_bad_response') when it is not JSON. */
  json(): unknown;
}

export interface OutboundStreamResponse {
  status: number;
  headers: Record<string, string | string[]>;
  url: string;
  /** Not buffered: the caller pipes it on and must consume or destroy it, or take it whole. Made when first read. */
  readonly body: Readable;
  /**
   * The whole body, when all of it has arrived and `body` was never read (a small answer comes
   * with its headers): it is then consumed, without a stream. Null otherwise: read `body`.
   */
  takeArrived(): Buffer | null;
  /** Calls `fn` once the body is consumed: read to its end, taken whole, failed or destroyed. */
  whenConsumed(fn: () => void): void;
}

/** The single HTTP client for calls to services. */
export interface Outbound {
  request(req: OutboundRequest): Promise<OutboundResponse>;
  stream(req: OutboundRequest): Promise<OutboundStreamResponse>;
  /**
   * A WHATWG `fetch` with the same policy, timeouts and size limits, for libraries
   * that take a custom fetch (oauth4webapi's `customFetch`). Redirects are not followed.
   */
  fetch: typeof globalThis.fetch;
  close(): Promise<void>;
}
