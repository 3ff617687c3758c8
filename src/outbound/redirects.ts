import { Readable } from 'node:stream';
import { HitchError } from '../errors.ts';
import { stripHeaderCredentials, stripPathCredentials, stripQueryCredentials } from './credentials.ts';
import type { OutboundRequest, OutboundTls, PlacedCredential } from './types.ts';

/**
 * One request on the way through a chain of redirects. Header names are lower
 * case. `url` and `headers` never hold the credentials: they are placed only
 * when the hop is sent (credentials.ts), and only while `credentials` and
 * `tls` are still the hop's, which ends at the first change of origin.
 */
export interface Hop {
  url: URL;
  method: string;
  headers: Record<string, string>;
  body: OutboundRequest['body'];
  credentials: readonly PlacedCredential[];
  tls: OutboundTls | undefined;
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/** Headers that carry credentials for one origin only, whoever set them (the fetch standard's list). */
export const CREDENTIAL_HEADERS = ['authorization', 'cookie', 'proxy-authorization'];

/** Headers describing a body, dropped with it when a redirect turns the request into a GET (fetch's "request-body-header name"). */
const BODY_HEADERS = [
  'content-type',
  'content-length',
  'content-encoding',
  'content-language',
  'content-location',
  'transfer-encoding',
];

/**
 * The request to send after a redirect response, following the fetch standard's
 * HTTP-redirect fetch, or null when the response is final and goes back as it is
 * (not a redirect, no Location, or a streamed body that cannot be sent twice).
 *
 * On a change of origin every credential of the request is dropped — the list
 * it carries (headers of any name, query parameters, which are also taken off
 * the Location URL in case the service echoed them there), the client
 * certificate, and Authorization, Cookie and Proxy-Authorization whoever set
 * them — and they stay dropped for the rest of the chain, even if a later hop
 * comes back: where that hop points was chosen by the other origin. On the same
 * origin they go on (placed again when the hop is sent).
 *
 * @see https://fetch.spec.whatwg.org/#http-redirect-fetch
 */
export function nextHop(current: Hop, status: number, location: string | undefined): Hop | null {
  if (!REDIRECT_STATUSES.has(status) || location === undefined) return null;

  let target: URL;
  try {
    target = new URL(location, current.url);
  } catch {
    throw new HitchError('upstream_bad_response', {
      message: `${current.url.hostname} redirected to an address that is not a valid URL.`,
      details: { host: current.url.hostname },
    });
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:') {
    throw new HitchError('upstream_bad_response', {
      message: `${current.url.hostname} redirected to a ${target.protocol} address, and Hitch follows only http and https.`,
      details: { host: current.url.hostname },
    });
  }
  if (target.username || target.password) {
    throw new HitchError('upstream_bad_response', {
      message: `${current.url.hostname} redirected to an address with a user name or password in it, which Hitch does not follow.`,
      details: { host: current.url.hostname },
    });
  }

  // A Location that names the credential's path again is placed afresh; one that carries it elsewhere is refused.
  const unplaced = stripPathCredentials(target, current.credentials);
  if (!unplaced) {
    throw new HitchError('upstream_bad_response', {
      message: `${current.url.hostname} redirected to an address that carries the connection's credentials, which Hitch does not follow.`,
      details: { host: current.url.hostname },
    });
  }
  target = unplaced;

  let headers = current.headers;
  let method = current.method;
  let body = current.body;

  const toGet =
    status === 303 ? method !== 'GET' && method !== 'HEAD' : (status === 301 || status === 302) && method === 'POST';
  if (toGet) {
    method = 'GET';
    body = null;
    headers = withoutHeaders(headers, BODY_HEADERS);
  } else if (body instanceof Readable) {
    // 307/308 must resend the body, and a stream has already been consumed.
    return null;
  }

  // The Host header, if a caller set one, belongs to the old origin.
  headers = withoutHeaders(headers, ['host']);
  if (target.origin === current.url.origin) {
    return {
      url: stripQueryCredentials(target, current.credentials),
      method,
      headers,
      body,
      credentials: current.credentials,
      tls: current.tls,
    };
  }
  headers = withoutHeaders(headers, CREDENTIAL_HEADERS);
  return {
    url: stripQueryCredentials(target, current.credentials),
    method,
    headers: stripHeaderCredentials(headers, current.credentials),
    body,
    credentials: [],
    tls: undefined,
  };
}

/** A copy of a hop's headers without the ones named (names in lower case, like the hop's). */
function withoutHeaders(headers: Record<string, string>, names: readonly string[]): Record<string, string> {
  const dropped = new Set(names);
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !dropped.has(name)));
}
