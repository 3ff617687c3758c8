import { Readable } from 'node:stream';
import { HitchError } from '../errors.ts';
import type { OutboundRequest } from './types.ts';

/** One request on the way through a chain of redirects. Header names are lower case. */
export interface Hop {
  url: URL;
  method: string;
  headers: Record<string, string>;
  body: OutboundRequest['body'];
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/** Headers that carry credentials for one origin only. */
export const CREDENTIAL_HEADERS = ['authorization', 'cookie', 'proxy-authorization'];

/** Headers describing a body, dropped with it when a redirect turns the request into a GET (fetch's "request-body-header name"). */
const BODY_HEADERS = ['content-type', 'content-length', 'content-encoding', 'content-language', 'content-location', 'transfer-encoding'];

/**
 * The request to send after a redirect response, following the fetch standard's
 * HTTP-redirect fetch, or null when the response is final and goes back as it is
 * (not a redirect, no Location, or a streamed body that cannot be sent twice).
 *
 * On a change of origin the credential headers are dropped and stay dropped for
 * the rest of the chain, even if a later hop comes back. Credentials in the query
 * string cannot be told apart from ordinary parameters, so they travel on: a
 * service that takes its key in the URL trusts whatever that URL redirects to.
 *
 * @see https://fetch.spec.whatwg.org/#http-redirect-fetch
 */
export function nextHop(current: Hop, status: number, location: string | undefined, credentialHeaders: readonly string[]): Hop | null {
  if (!REDIRECT_STATUSES.has(status) || location === undefined) return null;

  let target: URL;
  try {
    target = new URL(location, current.url);
  } catch {
    throw new HitchError('upstream_bad_response', { message: `${current.url.hostname} redirected to an address that is not a valid URL.`, details: { host: current.url.hostname } });
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:') {
    throw new HitchError('upstream_bad_response', { message: `${current.url.hostname} redirected to a ${target.protocol} address, and Hitch follows only http and https.`, details: { host: current.url.hostname } });
  }
  if (target.username || target.password) {
    throw new HitchError('upstream_bad_response', { message: `${current.url.hostname} redirected to an address with a user name or password in it, which Hitch does not follow.`, details: { host: current.url.hostname } });
  }

  const headers = { ...current.headers };
  let method = current.method;
  let body = current.body;

  const toGet = status === 303 ? method !== 'GET' && method !== 'HEAD' : (status === 301 || status === 302) && method === 'POST';
  if (toGet) {
    method = 'GET';
    body = null;
    for (const name of BODY_HEADERS) delete headers[name];
  } else if (body instanceof Readable) {
    // 307/308 must resend the body, and a stream has already been consumed.
    return null;
  }

  if (target.origin !== current.url.origin) {
    for (const name of [...CREDENTIAL_HEADERS, ...credentialHeaders]) delete headers[name.toLowerCase()];
  }
  // The Host header, if a caller set one, belongs to the old origin.
  delete headers.host;

  return { url: target, method, headers, body };
}
