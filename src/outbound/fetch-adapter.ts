import type { OutboundRequest } from './types.ts';

/** What the adapter needs from the client: one buffered call with raw headers. */
export type BufferedCall = (
  req: OutboundRequest,
) => Promise<{ status: number; rawHeaders: Record<string, string | string[]>; url: string; body: Buffer }>;

/** Statuses whose responses have no body by definition; `new Response` refuses one. */
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

/**
 * A WHATWG `fetch` over the outbound client, for libraries that take a custom
 * fetch (oauth4webapi's `customFetch`). `new Request(input, init)` does the
 * argument handling exactly as fetch would (bodies from URLSearchParams, FormData,
 * Blob…, with their Content-Type), and the answer is buffered under the same size
 * limit, so `response.json()` never waits on the network. Redirects are returned,
 * not followed (as oauth4webapi asks with `redirect: 'manual'`); `redirect: 'error'`
 * turns one into a TypeError as fetch does.
 */
export function createFetch(call: BufferedCall): typeof globalThis.fetch {
  return async function outboundFetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
    const request = new Request(input, init);
    const body = request.body ? Buffer.from(await request.arrayBuffer()) : null;
    const requestHeaders: Record<string, string> = {};
    request.headers.forEach((value, name) => {
      requestHeaders[name] = value;
    });
    const answer = await call({
      url: request.url,
      method: request.method,
      headers: requestHeaders,
      body,
      signal: request.signal,
      maxRedirects: 0,
    });
    if (request.redirect === 'error' && answer.status >= 300 && answer.status < 400) {
      throw new TypeError(`fetch failed: ${new URL(answer.url).hostname} redirected, and redirect is set to "error"`);
    }
    const headers = new Headers();
    for (const [name, value] of Object.entries(answer.rawHeaders)) {
      for (const one of Array.isArray(value) ? value : [value]) headers.append(name, one);
    }
    // Buffer.concat never returns shared memory, which is all the cast asserts.
    const responseBody = NULL_BODY_STATUSES.has(answer.status) ? null : (answer.body as Uint8Array<ArrayBuffer>);
    const response = new Response(responseBody, { status: answer.status, headers });
    // `url` is read-only and empty on a constructed Response; callers use it to resolve relative links.
    Object.defineProperty(response, 'url', { value: answer.url });
    return response;
  };
}
