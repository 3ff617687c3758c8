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
   * More header names that carry credentials (an API key header such as `x-api-key`),
   * dropped like Authorization and Cookie when a redirect leaves the origin.
   */
  credentialHeaders?: string[];
  /** Query parameter names that carry credentials (an API key placed in the query): their values never reach a log line. */
  credentialQuery?: string[];
  /**
   * A client certificate for mutual TLS (the Client Certificate modules), shown only
   * to the first request's origin: a redirect elsewhere goes without it. `ca` is a
   * server certificate the person chose to trust for this call (Make's "Self-signed
   * certificate" field); without it Node's trust store decides, as for every call.
   */
  tls?: OutboundTls;
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
  json<T = unknown>(): T;
}

export interface OutboundStreamResponse {
  status: number;
  headers: Record<string, string | string[]>;
  url: string;
  /** Not buffered: the caller pipes it on and must consume or destroy it. */
  body: Readable;
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
