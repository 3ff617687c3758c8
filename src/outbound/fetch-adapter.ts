import { BufferedResponse } from './buffered-response.ts';
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
 * limit, so `response.json()` never waits on the network (and reads without a web stream:
 * buffered-response.ts). Redirects are returned,
 * not followed (as oauth4webapi asks with `redirect: 'manual'`); `redirect: 'error'`
 * turns one into a TypeError as fetch does.
 */
export function createFetch(call: BufferedCall): typeof globalThis.fetch {
  return async function outboundFetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
    const request = plainRequest(input, init) ?? (await asRequest(new Request(input, init)));
    const answer = await call({ ...request.sent, maxRedirects: 0 });
    if (request.redirect === 'error' && answer.status >= 300 && answer.status < 400) {
      throw new TypeError(`fetch failed: ${new URL(answer.url).hostname} redirected, and redirect is set to "error"`);
    }
    const headers = new Headers();
    for (const [name, value] of Object.entries(answer.rawHeaders)) {
      for (const one of Array.isArray(value) ? value : [value]) headers.append(name, one);
    }
    const body = NULL_BODY_STATUSES.has(answer.status) ? null : answer.body;
    return new BufferedResponse(body, { status: answer.status, headers }, answer.url);
  };
}

interface Prepared {
  sent: Pick<OutboundRequest, 'url' | 'method' | 'headers' | 'body' | 'signal'>;
  redirect: RequestRedirect;
}

/** Methods fetch writes in capitals whatever case they are given in; any other stays as written. */
const NORMALIZED_METHODS = new Set(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT']);

/**
 * The common call (a URL, and a form, text or bytes body, as OAuth libraries send) read the
 * way fetch reads it, without building a Request: that object and its body stream cost more
 * than the rest of a token request. Null for anything else, which `new Request` handles.
 */
function plainRequest(input: RequestInfo | URL, init: RequestInit = {}): Prepared | null {
  if (typeof input !== 'string' && !(input instanceof URL)) return null;
  const url = URL.parse(input);
  // Not a URL, or one with credentials in it: fetch's own TypeError, from the Request constructor.
  if (!url || url.username || url.password) return null;
  const given = init.body ?? null;
  let body: Buffer | null;
  let type: string | null = null;
  if (given === null) body = null;
  else if (typeof given === 'string') [body, type] = [Buffer.from(given), 'text/plain;charset=UTF-8'];
  else if (given instanceof URLSearchParams)
    [body, type] = [Buffer.from(given.toString()), 'application/x-www-form-urlencoded;charset=UTF-8'];
  else if (given instanceof Uint8Array) body = Buffer.from(given);
  else return null;
  const method = init.method === undefined ? 'GET' : init.method;
  const upper = method.toUpperCase();
  const finalMethod = NORMALIZED_METHODS.has(upper) ? upper : method;
  // fetch refuses a body on GET and HEAD: the Request constructor says so in fetch's words.
  if (body !== null && (finalMethod === 'GET' || finalMethod === 'HEAD')) return null;
  const headers: Record<string, string> = {};
  new Headers(init.headers).forEach((value, name) => {
    headers[name] = value;
  });
  if (type !== null && headers['content-type'] === undefined) headers['content-type'] = type;
  return {
    sent: {
      url: url.href,
      method: finalMethod,
      headers,
      body,
      ...(init.signal ? { signal: init.signal } : {}),
    },
    redirect: init.redirect ?? 'follow',
  };
}

async function asRequest(request: Request): Promise<Prepared> {
  const body = request.body ? Buffer.from(await request.arrayBuffer()) : null;
  const headers: Record<string, string> = {};
  request.headers.forEach((value, name) => {
    headers[name] = value;
  });
  return {
    sent: { url: request.url, method: request.method, headers, body, signal: request.signal },
    redirect: request.redirect,
  };
}
