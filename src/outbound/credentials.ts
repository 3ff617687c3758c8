import type { PlacedCredential } from './types.ts';

/**
 * Putting a request's credentials on and taking them off: the only code that
 * writes a credential into a header or a URL. The client calls `placeCredentials`
 * for every hop that may carry them, and `stripCredentials` on every URL and
 * header set it keeps between hops, so what it holds never carries a secret.
 */

/** The hop's URL and headers with every credential set, replacing any header or query parameter of the same name. */
export function placeCredentials(
  url: URL,
  headers: Record<string, string>,
  credentials: readonly PlacedCredential[],
): { url: URL; headers: Record<string, string> } {
  if (!credentials.length) return { url, headers };
  const placedUrl = new URL(url.href);
  let placedHeaders = { ...headers };
  for (const credential of credentials) {
    if (credential.in === 'header') {
      const name = credential.name.toLowerCase();
      placedHeaders = Object.fromEntries(
        Object.entries(placedHeaders).filter(([existing]) => existing.toLowerCase() !== name),
      );
      placedHeaders[name] = credential.value;
    } else if (credential.in === 'path') {
      const start = pathStart(credential);
      placedUrl.pathname = placedUrl.pathname === '/' ? start : `${start}${placedUrl.pathname}`;
    } else {
      placedUrl.searchParams.set(credential.name, credential.value);
    }
  }
  return { url: placedUrl, headers: placedHeaders };
}

/**
 * What a path credential puts before the request's path: its prefix and the value, with every
 * character a path segment may not hold percent-encoded (RFC 3986 §3.3: `:` and `@` stay, so
 * Telegram's `123456:ABC-DEF` goes as written).
 *
 * @see https://www.rfc-editor.org/rfc/rfc3986#section-3.3
 */
export function pathStart(credential: PlacedCredential): string {
  const segment = encodeURIComponent(credential.value).replace(/%3A/gi, ':').replace(/%40/g, '@');
  return `${credential.name}${segment}`;
}

/**
 * A URL without the path credentials at its start (a same-origin redirect that names the full
 * path again), so they are placed once, on the hops that may carry them. Undefined when a path
 * credential's value is still somewhere in the URL: that address is not followed.
 */
export function stripPathCredentials(url: URL, credentials: readonly PlacedCredential[]): URL | undefined {
  const inPath = credentials.filter((c) => c.in === 'path');
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
  const names = new Set(credentials.filter((c) => c.in === 'query').map((c) => c.name));
  const values = new Set(credentials.map((c) => c.value));
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
  const names = new Set(credentials.filter((c) => c.in === 'header').map((c) => c.name.toLowerCase()));
  const values = new Set(credentials.map((c) => c.value));
  return Object.fromEntries(
    Object.entries(headers).filter(([name, value]) => !names.has(name.toLowerCase()) && !values.has(value)),
  );
}
