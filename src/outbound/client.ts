/**
 * The outbound client: the only way Hitch calls third-party services.
 *
 * Why it exists: every URL Hitch calls on a user's behalf (OAuth endpoints, base
 * URLs, module URLs) may be typed by that user, so each call is a chance to make
 * the server reach what the user cannot (SSRF), to hang a worker, or to fill its
 * memory. Everything that guards against that lives here, once.
 *
 * - Network policy (network-policy.ts, address-ranges.ts). Loopback, private,
 *   CGNAT, link-local, unique-local, multicast, unspecified, broadcast, reserved
 *   and cloud-metadata addresses are refused, also inside IPv4-mapped, NAT64 and
 *   6to4 IPv6 forms, unless `network.allowPrivateNetwork`, or the host is listed
 *   in `network.allowedHosts` (exact names, `*.example.com`, or CIDRs matched
 *   against the address). The check is made on the address the socket connects
 *   to (policy-connector.ts: undici's connector with a checking `lookup`, plus a
 *   look at `socket.remoteAddress`), and every address a name resolves to must
 *   pass, so DNS rebinding gains nothing. IP literals are checked before
 *   connecting; WHATWG URL parsing has already turned `2130706433`, `0x7f.1`,
 *   `127.1` and `0177.0.0.1` into `127.0.0.1`.
 * - Proxies: HTTP_PROXY / HTTPS_PROXY / NO_PROXY are honoured through undici's
 *   EnvHttpProxyAgent. LIMITATION: through a proxy, the proxy resolves and
 *   connects, so we can only resolve the name ourselves and check the answer
 *   before sending; a name that answers differently to the proxy slips through.
 *   A proxy that enforces its own egress rules closes that gap. And a name
 *   Hitch's own DNS cannot resolve is refused even if the proxy could reach it.
 * - Timeouts: one deadline per call (default 15 s, `timeoutMs`) covering
 *   connecting, every redirect hop, headers and the whole body, so a server that
 *   drips one byte a second cannot keep a call alive; undici's headers/body
 *   timeouts are set to the same value as a second net.
 * - Size: buffered calls stop reading past `maxResponseBytes` (default 5 MiB) and
 *   destroy the socket, so memory stays bounded even for an endless body.
 *   Compressed answers are not decoded (we send no Accept-Encoding), so the limit
 *   counts what is actually held.
 * - Credentials (`credentials`, `tls`) are placed here, never by callers
 *   (credentials.ts): on the first hop and on redirects that stay on its
 *   origin, and on no hop after the chain has left it.
 * - Redirects are followed here, not by undici (redirects.ts), up to
 *   `maxRedirects` (default 5), each hop through the same policy.
 * - TLS uses Node's default trust store, so NODE_EXTRA_CA_CERTS works as in any
 *   Node program: we never pass `ca`.
 * - Connections are reused: one agent, which keeps a keep-alive pool per origin.
 * - Logs: one debug line per exchange with method, URL, status and ms; never
 *   headers or bodies, and the URL with the request's own credentials masked
 *   (whatever their names) as well as the usual secret parameters.
 */
import { createHash } from 'node:crypto';
import net from 'node:net';
import type { Readable } from 'node:stream';
import { Agent, EnvHttpProxyAgent, type Dispatcher } from 'undici';
import type { Config } from '../config.ts';
import { HitchError, invalidField } from '../errors.ts';
import { redactUrl, type Logger } from '../log.ts';
import {
  placeCredentials,
  stripHeaderCredentials,
  stripPathCredentials,
  stripQueryCredentials,
} from './credentials.ts';
import { AnswerHandler, type Answer } from './answer-handler.ts';
import { createFetch } from './fetch-adapter.ts';
import { createNetworkPolicy, normalizeHost } from './network-policy.ts';
import { policyConnector, resolveAllowed, resolveWithDns, type ResolveHost } from './policy-connector.ts';
import { nextHop, type Hop } from './redirects.ts';
import { readLimited } from './response-body.ts';
import type {
  Outbound,
  OutboundRequest,
  OutboundResponse,
  OutboundStreamResponse,
  OutboundTls,
  PlacedCredential,
} from './types.ts';
import { timeoutError, tooLargeError, upstreamError } from './upstream-errors.ts';

export const DEFAULT_TIMEOUT_MS = 15_000;
export const DEFAULT_MAX_RESPONSE_BYTES = 5 * 1024 * 1024;
export const DEFAULT_MAX_REDIRECTS = 5;
const CONNECT_TIMEOUT_MS = 10_000;
const KEEP_ALIVE_TIMEOUT_MS = 4_000;
/** Small redirect bodies are read off so the connection can be reused; larger ones cost the socket. */
const REDIRECT_BODY_DUMP_BYTES = 64 * 1024;
/** Agents kept for client certificates (one pool each); the oldest is closed beyond this. */
const MAX_TLS_AGENTS = 64;

export interface OutboundOptions {
  network: Config['network'];
  log?: Logger;
  /** Sent as User-Agent unless a call sets its own. */
  userAgent?: string;
  /** Proxies to use instead of HTTP_PROXY / HTTPS_PROXY / NO_PROXY from the environment. */
  proxy?: { httpProxy?: string; httpsProxy?: string; noProxy?: string };
  /**
   * TESTS ONLY: resolves host names instead of DNS, so a public-looking name can
   * point at a loopback test server. The addresses it returns still go through
   * the network policy; it weakens nothing, but pins names in production.
   */
  dangerouslyResolveHostsWith?: ResolveHost;
  /** Deadline of a call that sets no `timeoutMs` (default 15 s); tests of hung services shorten it. */
  defaultTimeoutMs?: number;
}

interface Exchange {
  hop: Hop;
  res: Answer;
  /** Turns anything thrown from here on into the HitchError the caller should see. */
  fail: (error: unknown) => unknown;
  /** Stops the deadline; call once the body is read or released. */
  done: () => void;
}

/** How one exchange may end early: the deadline or the caller's abort, through the hop in flight. */
interface Stopper {
  /** Why it stopped, once it has. */
  reason: Error | null;
  /** The hop in flight, aborted when it stops. */
  current: AnswerHandler | null;
  /** Rejects a wait (the name check through a proxy) when it stops. */
  onStop: ((reason: Error) => void) | null;
}

/**
 * A streamed answer as the caller gets it. A class, not an object literal: a literal with a
 * getter and closures cost each proxied call about 1.3× the CPU, most of it in the collector.
 */
class StreamedResponse implements OutboundStreamResponse {
  constructor(
    public status: number,
    public headers: Record<string, string | string[]>,
    public url: string,
    private readonly answer: Answer,
  ) {}

  /** Made only for a caller that reads the answer as a stream. */
  get body(): Readable {
    return this.answer.body;
  }

  takeArrived(): Buffer | null {
    return this.answer.takeArrived();
  }

  whenConsumed(fn: () => void): void {
    this.answer.whenConsumed(fn);
  }
}

export function createOutbound(options: OutboundOptions): Outbound {
  const policy = createNetworkPolicy(options.network);
  const resolve = options.dangerouslyResolveHostsWith ?? resolveWithDns;
  const userAgent = options.userAgent ?? 'Hitch';
  const defaultTimeoutMs = positiveInt(options.defaultTimeoutMs, DEFAULT_TIMEOUT_MS, 'defaultTimeoutMs');
  const proxy = options.proxy ?? {};
  const env = process.env;
  const proxied = Boolean(
    proxy.httpProxy ?? proxy.httpsProxy ?? env.http_proxy ?? env.HTTP_PROXY ?? env.https_proxy ?? env.HTTPS_PROXY,
  );

  const direct = {
    connect: policyConnector(policy, resolve, CONNECT_TIMEOUT_MS),
    keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
    headersTimeout: defaultTimeoutMs,
    bodyTimeout: defaultTimeoutMs,
  };
  // One pool per origin either way. Without a proxy a plain Agent: EnvHttpProxyAgent reads NO_PROXY on every request.
  // With one, its connector is used for direct connections only: ProxyAgent brings its own for the proxy.
  const dispatcher: Dispatcher = proxied ? new EnvHttpProxyAgent({ ...proxy, ...direct }) : new Agent(direct);

  // A client certificate needs its own connector, so its own pool: keyed by a hash, never by the key itself.
  // These connect directly (no proxy), through the same policy connector.
  const tlsAgents = new Map<string, Agent>();
  function agentFor(tls: OutboundTls): Agent {
    const id = createHash('sha256')
      .update(JSON.stringify([tls.cert, tls.key, tls.passphrase ?? '', tls.ca ?? '']))
      .digest('hex');
    let agent = tlsAgents.get(id);
    if (!agent) {
      agent = new Agent({
        connect: policyConnector(policy, resolve, CONNECT_TIMEOUT_MS, tls),
        keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
        headersTimeout: DEFAULT_TIMEOUT_MS,
        bodyTimeout: DEFAULT_TIMEOUT_MS,
      });
      tlsAgents.set(id, agent);
      if (tlsAgents.size > MAX_TLS_AGENTS) {
        const [oldest, old] = tlsAgents.entries().next().value as [string, Agent];
        tlsAgents.delete(oldest);
        void old.close().catch(() => undefined);
      }
    }
    return agent;
  }

  /**
   * What must hold before a byte leaves for this URL (the connector checks the rest). Null when
   * nothing is left to wait for, as on every direct call: only a proxied one resolves the name here.
   */
  function checkBeforeSending(url: URL): Promise<unknown> | null {
    const host = normalizeHost(url.hostname);
    if (net.isIP(host)) {
      policy.assertAllowed(host, host);
      return null;
    }
    // Through a proxy our connector never runs, so this is the only check (see the limitation above).
    return proxied && !policy.allowsAnyAddress(host) ? resolveAllowed(policy, resolve, host) : null;
  }

  /** Sends one hop with the credentials it still carries; `all` is every credential of the request, for the log line. */
  async function sendHop(
    hop: Hop,
    stopper: Stopper,
    timeoutMs: number,
    all: readonly PlacedCredential[],
    limitBytes: number | undefined,
    fail: (error: unknown) => unknown,
  ): Promise<Answer> {
    const started = performance.now();
    const wire = placeCredentials(hop, hop.credentials);
    // The line is built only for a logger that writes it: redacting the URL costs more than the call's own set-up.
    const line = options.log?.isLevelEnabled('debug') ? { method: hop.method, url: redactUrl(wire.url, all) } : null;
    // The client certificate, and the server certificate trusted with it, go only where the other credentials go.
    const via = hop.tls ? agentFor(hop.tls) : dispatcher;
    try {
      // DNS through getaddrinfo cannot be cancelled, but the caller need not wait for it past the deadline.
      const checking = checkBeforeSending(wire.url);
      if (checking) await untilStopped(checking, stopper);
      if (stopper.reason) throw stopper.reason;
      const handler = new AnswerHandler({
        limitBytes,
        tooLarge: () => tooLargeError(hop.url.hostname, limitBytes ?? 0),
        mapError: (error) => fail(error) as Error,
        onSettled: () => {
          if (stopper.current === handler) stopper.current = null;
        },
      });
      stopper.current = handler;
      via.dispatch(
        {
          origin: wire.url.origin,
          path: `${wire.url.pathname}${wire.url.search}`,
          method: hop.method,
          headers: wire.headers,
          body: hop.body ?? null,
          headersTimeout: timeoutMs,
          bodyTimeout: timeoutMs,
        },
        handler,
      );
      const res = await handler.answer;
      if (line)
        options.log?.debug(
          { ...line, status: res.statusCode, ms: Math.round(performance.now() - started) },
          'outbound call',
        );
      return res;
    } catch (error) {
      const code = error instanceof HitchError ? error.code : (error as { code?: unknown } | null)?.code;
      if (line)
        options.log?.debug(
          { ...line, error: typeof code === 'string' ? code : 'failed', ms: Math.round(performance.now() - started) },
          'outbound call failed',
        );
      throw error;
    }
  }

  /** One call, redirects followed: `limitBytes` caps the body of the answer that is returned. */
  async function exchange(req: OutboundRequest, limitBytes: number | undefined): Promise<Exchange> {
    const timeoutMs = positiveInt(req.timeoutMs, defaultTimeoutMs, 'timeoutMs');
    const maxRedirects = nonNegativeInt(req.maxRedirects, DEFAULT_MAX_REDIRECTS, 'maxRedirects');
    let hop = firstHop(req, userAgent);
    const credentials = hop.credentials;

    // One timer and no AbortSignal of our own: the deadline aborts the hop in flight through its controller.
    const stopper: Stopper = { reason: null, current: null, onStop: null };
    const stop = (reason: Error) => {
      if (stopper.reason) return;
      stopper.reason = reason;
      stopper.current?.abort(reason);
      stopper.onStop?.(reason);
    };
    const timer = setTimeout(() => stop(timeoutError(hop.url.hostname, timeoutMs)), timeoutMs);
    const callerSignal = req.signal;
    const onCallerAbort = () => stop(callerSignal!.reason as Error);
    if (callerSignal?.aborted) onCallerAbort();
    else callerSignal?.addEventListener('abort', onCallerAbort, { once: true });
    const done = () => {
      clearTimeout(timer);
      callerSignal?.removeEventListener('abort', onCallerAbort);
    };
    const fail = (error: unknown): unknown => {
      // A caller's own abort is theirs to recognise; our deadline is a timeout whatever undici made of it.
      if (stopper.reason) return stopper.reason;
      if (isInvalidArgument(error))
        return invalidField('headers', `The request could not be sent as given: ${(error as Error).message}.`);
      return upstreamError(error, hop.url.hostname, timeoutMs);
    };

    try {
      for (let redirects = 0; ; redirects++) {
        const res = await sendHop(hop, stopper, timeoutMs, credentials, limitBytes, fail);
        const next = maxRedirects === 0 ? null : nextHop(hop, res.statusCode, single(res.headers.location));
        if (!next) return { hop, res, fail, done };
        await discard(res.body, REDIRECT_BODY_DUMP_BYTES);
        if (redirects >= maxRedirects) {
          throw new HitchError('too_many_redirects', {
            message: `${hop.url.hostname} redirected more than ${maxRedirects} times; check the address, it may loop.`,
            details: { host: hop.url.hostname },
          });
        }
        hop = next;
      }
    } catch (error) {
      done();
      throw fail(error);
    }
  }

  async function buffered(req: OutboundRequest) {
    const limit = positiveInt(req.maxResponseBytes, DEFAULT_MAX_RESPONSE_BYTES, 'maxResponseBytes');
    const { hop, res, fail, done } = await exchange(req, limit);
    try {
      // Arrived whole: within the limit, which the handler holds every chunk to. A copy, as readLimited's.
      const arrived = res.takeArrived();
      const body = arrived
        ? Buffer.from(arrived)
        : await readLimited(res.body, limit, single(res.headers['content-length']), () =>
            tooLargeError(hop.url.hostname, limit),
          );
      return { status: res.statusCode, rawHeaders: definedHeaders(res.headers), url: hop.url.href, body };
    } catch (error) {
      throw fail(error);
    } finally {
      done();
    }
  }

  async function request(req: OutboundRequest): Promise<OutboundResponse> {
    const answer = await buffered(req);
    const host = new URL(answer.url).hostname;
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(answer.rawHeaders))
      headers[name] = Array.isArray(value) ? value.join(', ') : value;
    return {
      status: answer.status,
      headers,
      url: answer.url,
      body: answer.body,
      text: () => answer.body.toString('utf8'),
      json: () => parseJson(answer.body, host),
    };
  }

  async function stream(req: OutboundRequest): Promise<OutboundStreamResponse> {
    const limit =
      req.maxResponseBytes === undefined
        ? undefined
        : positiveInt(req.maxResponseBytes, DEFAULT_MAX_RESPONSE_BYTES, 'maxResponseBytes');
    const { hop, res, done } = await exchange(req, limit);
    // The deadline covers the body too: it ends once the body is received, fails or is dropped.
    res.whenConsumed(done);
    return new StreamedResponse(res.statusCode, definedHeaders(res.headers), hop.url.href, res);
  }

  return {
    request,
    stream,
    fetch: createFetch(buffered),
    async close() {
      await Promise.all([dispatcher.close(), ...[...tlsAgents.values()].map((agent) => agent.close())]);
      tlsAgents.clear();
    },
  };
}

function firstHop(req: OutboundRequest, userAgent: string): Hop {
  let url: URL;
  try {
    // Nothing here changes a URL in place (a credential goes on a copy), so a URL object needs no copy.
    url = req.url instanceof URL ? req.url : new URL(req.url);
  } catch {
    throw invalidField('url', 'The URL is not valid; write it in full, like https://api.example.com/path.');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw invalidField('url', `Only http:// and https:// URLs can be called, not ${url.protocol}// ones.`);
  }
  if (url.username || url.password) {
    throw invalidField(
      'url',
      'The URL contains a user name or password; give credentials through the connection instead.',
    );
  }
  const method = (req.method ?? 'GET').toUpperCase();
  if (!/^[!#$%&'*+\-.^_`|~0-9A-Z]+$/.test(method)) throw invalidField('method', `"${method}" is not an HTTP method.`);
  const given = req.credentials ?? [];
  // The hop keeps a copy; the strips read the list as given, whose sets are made once per list.
  const credentials = [...given];
  for (const credential of credentials) {
    // Plain-JS callers are not held to the type, and anything but a header would be placed in the query.
    const where: unknown = credential.in;
    if (where !== 'header' && where !== 'query' && where !== 'path' && where !== 'signature')
      throw new TypeError(`A credential goes in a header, the query, the path or a signature, not "${String(where)}".`);
  }
  const headers: Record<string, string> = { 'user-agent': userAgent };
  for (const [name, value] of Object.entries(req.headers ?? {})) headers[name.toLowerCase()] = value;
  // What the hop keeps between sends holds no credential; they are placed as each hop leaves.
  const unplaced = stripPathCredentials(url, given);
  if (!unplaced)
    throw invalidField('url', 'The URL contains the connection’s credentials; give only the path after them.');
  return {
    url: stripQueryCredentials(unplaced, given),
    method,
    headers: stripHeaderCredentials(headers, given),
    body: req.body ?? null,
    credentials,
    tls: req.tls,
  };
}

function untilStopped<T>(work: Promise<T>, stopper: Stopper): Promise<T> {
  if (stopper.reason) return Promise.reject(stopper.reason);
  return new Promise<T>((resolve, reject) => {
    stopper.onStop = reject;
    work.then(resolve, reject).finally(() => {
      stopper.onStop = null;
    });
  });
}

/** Reads a redirect's body off so its connection can be reused; one larger than `limit` costs the socket instead. */
async function discard(body: Readable, limit: number): Promise<void> {
  let read = 0;
  try {
    for await (const chunk of body) {
      read += (chunk as Buffer).length;
      if (read > limit) {
        body.destroy();
        return;
      }
    }
  } catch {
    // A redirect's body that fails to arrive changes nothing about where it points.
  }
}

function parseJson(body: Buffer, host: string): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw new HitchError('upstream_bad_response', {
      message: `${host} answered with something that is not JSON.`,
      details: { host },
    });
  }
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** undici's parsed headers never hold undefined; the type says they may. */
function definedHeaders(headers: Answer['headers']): Record<string, string | string[]> {
  return headers as Record<string, string | string[]>;
}

function isInvalidArgument(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'UND_ERR_INVALID_ARG';
}

function positiveInt(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value <= 0)
    throw new TypeError(`${name} must be a positive whole number, not ${value}`);
  return value;
}

function nonNegativeInt(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 0)
    throw new TypeError(`${name} must be 0 or a positive whole number, not ${value}`);
  return value;
}
