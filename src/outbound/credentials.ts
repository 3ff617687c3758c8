import { Readable } from 'node:stream';
import { invalidField } from '../errors.ts';
import type { OutboundRequest, PlacedCredential, PlacedValue, RequestToSign } from './types.ts';

/**
 * Putting a request's credentials on and taking them off: the only code that
 * writes a credential into a header or a URL. The client calls `placeCredentials`
 * for every hop that may carry them, and `stripCredentials` on every URL and
 * header set it keeps between hops, so what it holds never carries a secret.
 */

/** What a hop is when it leaves: the request a signature covers. */
export interface HopToPlace {
  url: URL;
  method: string;
  headers: Record<string, string>;
  body: OutboundRequest['body'];
}

/**
 * The hop's URL and headers with every credential set, replacing any header or
 * query parameter of the same name. Fixed values go first, so a signature covers
 * the URL and headers exactly as they are sent.
 */
export function placeCredentials(
  hop: HopToPlace,
  credentials: readonly PlacedCredential[],
): { url: URL; headers: Record<string, string> } {
  if (!credentials.length) return { url: hop.url, headers: hop.headers };
  // Only a query or path credential changes the URL: a header one leaves it as the hop has it.
  const placedUrl = credentials.some((c) => c.in === 'query' || c.in === 'path') ? new URL(hop.url.href) : hop.url;
  // Copied key by key: V8 adds a property to a spread copy many times slower than to a built object.
  let placedHeaders: Record<string, string> = {};
  for (const [name, value] of Object.entries(hop.headers)) placedHeaders[name] = value;
  const setHeader = (name: string, value: string) => {
    const lower = name.toLowerCase();
    // Replaces a header of the same name in any case (rare: the hop's headers hold no credential's name).
    let clash = false;
    for (const existing in placedHeaders) clash ||= existing.toLowerCase() === lower;
    if (clash)
      placedHeaders = Object.fromEntries(
        Object.entries(placedHeaders).filter(([existing]) => existing.toLowerCase() !== lower),
      );
    placedHeaders[lower] = value;
  };
  for (const credential of credentials) {
    if (credential.in === 'header') setHeader(credential.name, credential.value);
    else if (credential.in === 'query') placedUrl.searchParams.set(credential.name, credential.value);
    else if (credential.in === 'path') {
      const start = pathStart(credential);
      placedUrl.pathname = placedUrl.pathname === '/' ? start : `${start}${placedUrl.pathname}`;
    }
  }
  for (const credential of credentials) {
    if (credential.in !== 'signature') continue;
    const request: RequestToSign = {
      method: hop.method,
      url: placedUrl,
      headers: placedHeaders,
      body: signableBody(hop.body, placedHeaders['content-type']),
    };
    setHeader(credential.name, credential.sign(request));
  }
  return { url: placedUrl, headers: placedHeaders };
}

/**
 * The body a signature may cover. A form body is part of an OAuth 1.0a signature
 * (RFC 5849 §3.4.1.3.1), so it must be held whole; other bodies are not signed.
 */
function signableBody(body: OutboundRequest['body'], contentType: string | undefined): string | Uint8Array | null {
  if (!(body instanceof Readable)) return body ?? null;
  if (contentType?.split(';')[0]!.trim().toLowerCase() === 'application/x-www-form-urlencoded')
    throw invalidField(
      'body',
      'This connection signs form bodies, so a form body cannot be streamed: send it with a Content-Length (at most 1 MiB through the proxy).',
    );
  return null;
}

// A connection's placed list is cached with its credentials and sent with every call: its sets are made once.
const valuesOf = new WeakMap<readonly PlacedCredential[], ReadonlySet<string>>();
const headerNamesOf = new WeakMap<readonly PlacedCredential[], ReadonlySet<string>>();

/** Every value a request's credentials carry that must never be kept: placed values, and the secrets a signature holds. */
export function credentialValues(credentials: readonly PlacedCredential[]): ReadonlySet<string> {
  let values = valuesOf.get(credentials);
  if (!values) {
    values = new Set(credentials.flatMap((c) => (c.in === 'signature' ? c.secrets : [c.value])));
    valuesOf.set(credentials, values);
  }
  return values;
}

/** The header names credentials are placed under (or sign into), lower-cased. */
function credentialHeaderNames(credentials: readonly PlacedCredential[]): ReadonlySet<string> {
  let names = headerNamesOf.get(credentials);
  if (!names) {
    names = new Set(credentials.filter((c) => c.in !== 'query').map((c) => c.name.toLowerCase()));
    headerNamesOf.set(credentials, names);
  }
  return names;
}

/** The query parameters credentials are placed in. */
export function credentialQueryNames(credentials: readonly PlacedCredential[]): Set<string> {
  return new Set(credentials.filter((c) => c.in === 'query').map((c) => c.name));
}

/**
 * What a path credential puts before the request's path: its prefix and the value, with every
 * character a path segment may not hold percent-encoded (RFC 3986 §3.3: `:` and `@` stay, so
 * Telegram's `123456:ABC-DEF` goes as written).
 *
 * @see https://www.rfc-editor.org/rfc/rfc3986#section-3.3
 */
export function pathStart(credential: PlacedValue): string {
  const segment = encodeURIComponent(credential.value).replace(/%3A/gi, ':').replace(/%40/g, '@');
  return `${credential.name}${segment}`;
}

/**
 * A URL without the path credentials at its start (a same-origin redirect that names the full
 * path again), so they are placed once, on the hops that may carry them. Undefined when a path
 * credential's value is still somewhere in the URL: that address is not followed.
 */
export function stripPathCredentials(url: URL, credentials: readonly PlacedCredential[]): URL | undefined {
  const inPath = credentials.filter((c): c is PlacedValue => c.in === 'path');
  if (!inPath.length) return url;
  let stripped = url;
  for (const credential of inPath) {
    const start = pathStart(credential);
    if (stripped.pathname === start || stripped.pathname.startsWith(`${start}/`)) {
      stripped = new URL(stripped.href);
      stripped.pathname = stripped.pathname.slice(start.length) || '/';
    }
  }
  const href = decodeURIComponentSafe(stripped.href);
  return inPath.some((c) => href.includes(c.value) || stripped.href.includes(c.value)) ? undefined : stripped;
}

function decodeURIComponentSafe(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/**
 * A URL with no credential in its query: parameters named like one of them, or
 * holding one of their values under any name (a service that echoes its query
 * into a Location header), are taken off.
 */
export function stripQueryCredentials(url: URL, credentials: readonly PlacedCredential[]): URL {
  if (!credentials.length || !url.search) return url;
  const names = credentialQueryNames(credentials);
  const values = credentialValues(credentials);
  const kept = new URL(url.href);
  for (const [name, value] of [...url.searchParams.entries()])
    if (names.has(name) || values.has(value)) kept.searchParams.delete(name);
  // Deleting re-serialises the query; keep the original spelling when nothing was taken off.
  return kept.searchParams.size === url.searchParams.size ? url : kept;
}

/** Headers without the credentials' headers, by name (case-insensitive), nor any header holding one of their values. */
export function stripHeaderCredentials(
  headers: Record<string, string>,
  credentials: readonly PlacedCredential[],
): Record<string, string> {
  if (!credentials.length) return headers;
  const names = credentialHeaderNames(credentials);
  const values = credentialValues(credentials);
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers))
    if (!names.has(name.toLowerCase()) && !values.has(value)) kept[name] = value;
  return kept;
}
