import type {
  IncomingHttpHeaders,
  IncomingMessage,
  OutgoingHttpHeader,
  OutgoingHttpHeaders,
  ServerResponse,
} from 'node:http';
import type { Readable } from 'node:stream';
import { needsApproval, tokenGrant, tokenPatternsOn } from '../accounts/token-restrictions.ts';
import { HitchError } from '../errors.ts';
import { isId } from '../ids.ts';
import { redactUrl } from '../log.ts';
import { requestIds } from './request-ids.ts';
import type { Metrics } from '../metrics/registry.ts';
import type { OutboundStreamResponse } from '../outbound/types.ts';
import { cachedTokenAuth, tokenAuth } from './plugins/authentication.ts';
import { errorAnswer } from './plugins/errors.ts';
import { securityHeaderValues } from './plugins/security-headers.ts';
import { pathBelowBase } from '../connections/base-url.ts';
import type { ConnectionRequest } from '../connections/connection-client.ts';
import type { HttpServices } from './services.ts';

/** Whole answers may stream for this long (headers and body); a slow download is cut past it. */
export const PROXY_TIMEOUT_MS = 60_000;
/** Request bodies up to this size are held in memory, so the one retry after a 401 can resend them. */
export const REPLAYABLE_BODY_BYTES = 1024 * 1024;

/** RFC 9110 §7.6.1: they describe one hop, never the next. */
const HOP_BY_HOP = [
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'trailers',
  'transfer-encoding',
  'upgrade',
];
/** The caller's own credentials and the hop to Hitch stay here; Origin and Referer describe the caller's page, not the service's business. */
const NOT_FORWARDED = new Set([
  ...HOP_BY_HOP,
  'host',
  'authorization',
  'cookie',
  'expect',
  'forwarded',
  'x-forwarded-for',
  'x-forwarded-host',
  'x-forwarded-proto',
  'x-real-ip',
  'origin',
  'referer',
]);
/** The service must not set cookies or security policy on Hitch's own origin. */
const NOT_RETURNED = new Set([
  ...HOP_BY_HOP,
  'set-cookie',
  'set-cookie2',
  'content-security-policy',
  'content-security-policy-report-only',
  'x-content-type-options',
  'strict-transport-security',
  'alt-svc',
  'clear-site-data',
  'x-frame-options',
]);

const PREFIX = '/api/v1/connections/';
const MARKER = '/proxy';
/** The route patterns metrics and Fastify know the proxy by. */
export const PROXY_ROUTES = { exact: '/:id/proxy', below: '/:id/proxy/*' } as const;

const EXACT_ROUTE = `/api/v1/connections${PROXY_ROUTES.exact}`;
const BELOW_ROUTE = `/api/v1/connections${PROXY_ROUTES.below}`;

const notFound = () => new HitchError('not_found', { message: 'There is no such connection in your teams.' });

export interface ProxyTarget {
  id: string;
  path: string;
  below: boolean;
}

/** A proxy address split into the connection id and the path for the service, undecoded, so escapes are judged as sent. */
export function proxyTarget(url: string): ProxyTarget | null {
  if (!url.startsWith(PREFIX)) return null;
  const slash = url.indexOf('/', PREFIX.length);
  if (slash === -1 || !url.startsWith(MARKER, slash)) return null;
  const rest = url.slice(slash + MARKER.length);
  if (rest !== '' && rest[0] !== '/' && rest[0] !== '?') return null;
  const below = rest.startsWith('/');
  return { id: url.slice(PREFIX.length, slash), path: below ? rest : `/${rest}`, below };
}

const NONE_LISTED: ReadonlySet<string> = new Set();

/** Header names a `Connection:` header lists are hop-by-hop too (`keep-alive` and `close` name none beyond those already dropped). */
function listedInConnection(value: string | string[] | undefined): ReadonlySet<string> {
  if (value === undefined || value === 'keep-alive' || value === 'close') return NONE_LISTED;
  return new Set(
    (Array.isArray(value) ? value.join(',') : value)
      .split(',')
      .map((s) => s.trim().toLowerCase())
      .filter(Boolean),
  );
}

function forwardedHeaders(headers: IncomingHttpHeaders, buffered: boolean): Record<string, string> {
  const listed = listedInConnection(headers.connection);
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || NOT_FORWARDED.has(name) || listed.has(name)) continue;
    // A buffered body gets its length from the client; a streamed one keeps the caller's.
    if (buffered && name === 'content-length') continue;
    out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

/** Whether the request carries a body to pass on (GET and HEAD never do), as Fastify decides it for other routes. */
function hasBody(req: IncomingMessage): boolean {
  if (req.method === 'GET' || req.method === 'HEAD') return false;
  if (req.headers['content-type'] !== undefined || req.headers['transfer-encoding'] !== undefined) return true;
  const length = req.headers['content-length'];
  return length !== undefined && length !== '0';
}

/** Small bodies are read into memory (replayable after a 401); large or unsized ones stream through. */
async function requestBody(req: IncomingMessage): Promise<Buffer | Readable> {
  const declared = Number(req.headers['content-length']);
  if (!Number.isFinite(declared) || declared > REPLAYABLE_BODY_BYTES) return req;
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export interface ProxyLaneOptions {
  timeoutMs?: number;
  /** Counts and times each call as Fastify's metrics hook does for every other route. */
  metrics?: Metrics;
  /** The ids the lane's log lines name their request by: Fastify's own counter (./request-ids.ts). */
  requestId?: () => string;
}

export interface ProxyLane {
  /**
   * Answers one proxied call. `counted`: Fastify's hooks already log and count it (`app.inject`);
   * `target`: the address already split by the caller that recognised it; `reqId`: Fastify's id
   * for the request, when it has one.
   */
  serve(
    req: IncomingMessage,
    res: ServerResponse,
    options?: { counted?: boolean; target?: ProxyTarget; reqId?: string },
  ): void;
  /** From now on every answer closes its connection: the server is stopping. */
  stopping(): void;
}

/**
 * `ALL /api/v1/connections/:id/proxy/*`: a call to the connection's service with
 * its credentials placed by the one injector, renewed when due and once after a
 * 401, through the one outbound client. Bodies stream both ways. The caller
 * authenticates with an API token only: a browser's session cookie would let any
 * page on Hitch's origin spend a connection.
 *
 * Served from the HTTP server's own request handler, before Fastify (app.ts):
 * every API call through a connection pays for this path, and Fastify's lifecycle
 * and hooks cost it about as much as forwarding the call. What those hooks do for
 * other routes is done here once: the token, the security headers (and a
 * `sandbox` policy, since the answer is the service's bytes on Hitch's origin),
 * the error shape, the request log line and the metrics.
 */
export function createProxyLane(services: HttpServices, options: ProxyLaneOptions = {}): ProxyLane {
  const timeoutMs = options.timeoutMs ?? PROXY_TIMEOUT_MS;
  const { accounts, connections, config, log } = services;
  const publicUrl = config.publicUrl;
  // Answers are the service's bytes served from Hitch's origin: no script of theirs may run here.
  const securityHeaders: OutgoingHttpHeaders = {
    ...securityHeaderValues(publicUrl.startsWith('https:')),
    'content-security-policy': 'sandbox',
    'x-content-type-options': 'nosniff',
  };
  // Ours replace the service's own: each is sent once.
  const securityHeaderNames: ReadonlySet<string> = new Set(Object.keys(securityHeaders));
  const securityHeaderList = Object.entries(securityHeaders).flat() as OutgoingHttpHeader[];
  const metrics = options.metrics;
  const nextRequestId = options.requestId ?? requestIds();
  let closing = false;

  async function forward(
    req: IncomingMessage,
    res: ServerResponse,
    id: string,
    path: string,
    reqId: string,
  ): Promise<void> {
    const authorization = req.headers.authorization;
    if (authorization === undefined)
      throw new HitchError('unauthenticated', {
        message: 'The proxy accepts API tokens only: send Authorization: Bearer <token>.',
      });
    // A token and a connection seen in the last seconds are judged from memory, with no wait.
    const auth = cachedTokenAuth(accounts, authorization) ?? (await tokenAuth(accounts, authorization));
    if (auth.via !== 'token' || !isId(id)) throw notFound();
    const teamId = connections.credentials.cachedTeamOf(id) ?? (await connections.credentials.teamOf(id));
    // The token's principal carries the user's teams, kept current on every instance by invalidations.
    if (!teamId || !auth.teams.some((t) => t.id === teamId)) throw notFound();
    // A scoped token sees only its connections, and calls only the endpoints it was granted there.
    const patterns = auth.restriction ? tokenPatternsOn(auth.restriction, id, teamId) : undefined;
    if (auth.restriction && !patterns) throw notFound();
    const method = req.method ?? 'GET';
    // A write waiting for a person has nowhere to wait here: the MCP server asks for the approval.
    if (needsApproval(auth.restriction, method)) throw new HitchError('approval_required');

    const body = hasBody(req) ? await requestBody(req) : null;
    const request: ConnectionRequest = {
      method,
      url: path,
      headers: forwardedHeaders(req.headers, Buffer.isBuffer(body)),
      body,
      timeoutMs,
      // Redirects go back to the caller; Hitch never carries credentials to where they point.
      maxRedirects: 0,
    };
    if (patterns) request.grant = tokenGrant(patterns, { name: auth.tokenName, userId: auth.user.id });
    const upstream = await connections.client.stream(id, request);
    // Only a redirect needs the base URL (to map it back through the proxy): from the credential cache.
    const baseUrl =
      upstream.headers.location === undefined ? undefined : (await connections.credentials.get(id)).baseUrl;
    sendUpstream(res, upstream, method, { publicUrl, id, baseUrl }, reqId);
  }

  function sendUpstream(
    res: ServerResponse,
    upstream: OutboundStreamResponse,
    method: string,
    where: Where,
    reqId: string,
  ): void {
    const listed = listedInConnection(upstream.headers.connection);
    // Name, value, name, value: Node writes a flat list as given, with no header object to build and walk.
    const headers: OutgoingHttpHeader[] = [];
    let cacheControl = false;
    const given = upstream.headers;
    for (const name in given) {
      if (NOT_RETURNED.has(name) || securityHeaderNames.has(name) || listed.has(name)) continue;
      const value = given[name]!;
      if (name === 'cache-control') cacheControl = true;
      headers.push(name, name === 'location' ? proxiedLocation(String(value), upstream.url, where) : value);
    }
    for (const header of securityHeaderList) headers.push(header);
    // Nothing an API answers belongs in a shared cache unless the service says so.
    if (!cacheControl) headers.push('cache-control', 'no-store');
    if (closing) headers.push('connection', 'close');
    res.writeHead(upstream.status, headers);
    if (method === 'HEAD' || upstream.status === 204 || upstream.status === 304) {
      upstream.body.destroy();
      res.end();
      return;
    }
    // A small answer has usually arrived whole with its headers: it goes in one write, without a pipe.
    const arrived = upstream.takeArrived();
    if (arrived) {
      res.end(arrived);
      return;
    }
    // Either side failing or closing early ends both: the service's socket is not left half read.
    // (Not stream.pipeline: it makes an AbortController and a DOMException per call.)
    const body = upstream.body;
    body.once('error', (error) => {
      log.debug({ reqId, err: error }, 'proxied answer cut short');
      res.destroy();
    });
    res.once('close', () => {
      if (!body.readableEnded) body.destroy();
    });
    body.pipe(res);
  }

  function sendFailure(res: ServerResponse, thrown: unknown, reqId: string): void {
    const known = thrown instanceof HitchError ? thrown : null;
    if (!known) log.error({ reqId, err: thrown }, 'unexpected error');
    else if (known.status >= 500) log.error({ reqId, err: thrown }, 'request failed');
    if (res.headersSent) {
      res.destroy();
      return;
    }
    const answer = errorAnswer(known ?? new HitchError('internal'));
    const body = JSON.stringify(answer.body);
    res.writeHead(answer.status, {
      ...securityHeaders,
      'cache-control': 'no-store',
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(body),
      ...answer.headers,
      ...(closing ? { connection: 'close' } : {}),
    });
    res.end(body);
  }

  return {
    serve(req, res, serveOptions) {
      const started = performance.now();
      const reqId = serveOptions?.reqId ?? nextRequestId();
      const url = req.url ?? '/';
      const target = serveOptions?.target ?? proxyTarget(url);
      if (!serveOptions?.counted) {
        res.once('finish', () => {
          const route = target?.below === false ? EXACT_ROUTE : BELOW_ROUTE;
          const status = String(res.statusCode);
          const seconds = (performance.now() - started) / 1000;
          if (metrics) {
            const method = req.method ?? 'GET';
            metrics.httpRequests.series(method, route, status).inc();
            metrics.httpDuration.series(method, route, status).observe(seconds);
          }
          // Parsing the URL for redaction costs more than the proxying it logs; skip both when nobody listens.
          if (log.isLevelEnabled('info'))
            log.info(
              {
                reqId,
                method: req.method,
                url: redactUrl(url),
                statusCode: res.statusCode,
                ms: Math.round(seconds * 1000),
              },
              'request',
            );
        });
      }
      if (!target) {
        sendFailure(res, notFound(), reqId);
        return;
      }
      forward(req, res, target.id, target.path, reqId).catch((error: unknown) => {
        try {
          sendFailure(res, error, reqId);
        } catch (failed) {
          // Nothing left to answer on: the socket goes, the process stays.
          log.error({ reqId, err: failed }, 'could not answer a proxied call');
          res.destroy();
        }
      });
    },
    stopping() {
      closing = true;
    },
  };
}

interface Where {
  publicUrl: string;
  id: string;
  baseUrl: string | undefined;
}

/**
 * A redirect below the connection's base URL is pointed back through the
 * proxy; one anywhere else is left absolute, for the caller to follow without
 * Hitch's credentials.
 */
function proxiedLocation(location: string, upstreamUrl: string, where: Where): string {
  let target: URL;
  try {
    target = new URL(location, upstreamUrl);
  } catch {
    return location;
  }
  const below = pathBelowBase(target, where.baseUrl);
  if (below === undefined) return target.href;
  return `${where.publicUrl}/api/v1/connections/${where.id}/proxy${below}${target.search}`;
}
