import type { Readable } from 'node:stream';
import { withAppHeaders } from '../catalog/resolve.ts';
import { HitchError, invalidField } from '../errors.ts';
import type {
  Outbound,
  OutboundRequest,
  OutboundResponse,
  OutboundStreamResponse,
  PlacedCredential,
} from '../outbound/types.ts';
import { baseOf } from './base-url.ts';
import type { CredentialProvider, Credentials } from './credentials.ts';
import { answerSaysExpired, jsonOf, streamSaysExpired } from './expiry-signals.ts';
import type { ConnectionEvents } from './events.ts';
import { calledPath, grantAllows, type EndpointGrant } from './grants.ts';
import { escapesPath } from './path-rules.ts';
import { TeamGate } from './team-gate.ts';

export interface ConnectionRequest {
  method: string;
  /** A path below the connection's base URL (`/repos?per_page=5`), or an absolute URL on its origin or allowed hosts. */
  url: string;
  headers?: Record<string, string>;
  /** A stream body cannot be replayed, so a request with one is not retried after a 401. */
  body?: string | Uint8Array | Readable | null;
  timeoutMs?: number;
  maxResponseBytes?: number;
  /** 0 returns redirects as they are (the proxy passes them on); default: the outbound client's. */
  maxRedirects?: number;
  signal?: AbortSignal;
  /** Told every credential list the request is sent with, so a caller that keeps the answer (an execution) can redact echoes of it. */
  onCredentials?: (placed: readonly PlacedCredential[]) => void;
  /** The endpoints the caller (a scenario, a restricted token) may call; absent, whatever the connection reaches. */
  grant?: EndpointGrant;
}

/**
 * The target of a request: relative paths join the base URL's path and may not
 * climb out of it (`..`, `%2e%2e`, `//host`, `@`); absolute URLs must be on the
 * base URL's origin or one of the app's hosts, scheme included: an app's https
 * host is not reached over http. Credentials go nowhere else.
 */
export function targetUrl(baseUrl: string | undefined, requested: string, allowedHosts: readonly string[] = []): URL {
  if (/^https?:\/\//i.test(requested)) {
    const url = new URL(requested);
    const baseOrigin = baseUrl ? new URL(baseUrl).origin : undefined;
    if (url.origin !== baseOrigin && !onAppHost(url, allowedHosts)) {
      if (
        url.protocol === 'http:' &&
        (onAppHost(new URL(url.href.replace(/^http:/i, 'https:')), allowedHosts) ||
          (baseUrl && new URL(baseUrl).host === url.host))
      ) {
        throw invalidField(
          'url',
          `${url.host} is reached over https:// by this connection; write the URL with https:// so its credentials never travel in clear.`,
        );
      }
      throw invalidField(
        'url',
        `Requests through this connection may only go to ${baseOrigin ?? 'its base URL'}: ${url.host} is not allowed.`,
      );
    }
    if (url.username || url.password) throw invalidField('url', 'The URL must not carry a user name or password.');
    return url;
  }
  if (!baseUrl)
    throw invalidField('url', 'This connection has no base URL: give a full URL, or set the connection’s Base URL.');
  if (!requested.startsWith('/') || requested.startsWith('//'))
    throw invalidField('url', 'The path must start with a single /.');
  const [pathPart, query] = splitQuery(requested);
  if (escapesPath(pathPart)) {
    throw invalidField('url', 'The path must not contain "..", "@", backslashes or encoded slashes and dots.');
  }
  const base = baseOf(baseUrl);
  let url: URL;
  if (PARSES_AS_GIVEN.test(requested)) {
    // One parse of the joined text: for visible ASCII without a fragment it is the URL the setters below make.
    url = new URL(`${base.origin}${base.path}${requested}`);
  } else {
    url = new URL(base.origin);
    url.pathname = `${base.path}${pathPart}`;
    url.search = query;
  }
  // Belt and braces: whatever the parser made of it, it must still sit below the base.
  if (url.origin !== base.origin || !url.pathname.startsWith(base.path)) {
    throw invalidField('url', 'The path leaves the connection’s base URL.');
  }
  return url;
}

/** Visible ASCII without `#`: no character the parser would drop, trim, or take as a fragment. */
const PARSES_AS_GIVEN = /^[\x21-\x22\x24-\x7e]*$/;

/**
 * An app's `hosts` are https hosts, compared with their port (`url.host`); an
 * entry written as an origin (`http://…`) names its scheme itself.
 */
function onAppHost(url: URL, hosts: readonly string[]): boolean {
  return hosts.some((entry) =>
    /^https?:\/\//i.test(entry)
      ? URL.canParse(entry) && new URL(entry).origin === url.origin
      : url.protocol === 'https:' && entry.toLowerCase() === url.host,
  );
}

function splitQuery(value: string): [string, string] {
  const i = value.indexOf('?');
  return i === -1 ? [value, ''] : [value.slice(0, i), value.slice(i)];
}

/**
 * Calls a service through a connection: credentials from the one token path,
 * placed by the one injector, sent by the one outbound client, and renewed once
 * when the answer says they lapsed (a 401, or the kind's `expiredWhen`: a 403, an
 * error code in a 200), then retried once; credentials that cannot be renewed are
 * marked lost when the verify request confirms the 401. The proxy and scenario runs both use it.
 */
export class ConnectionClient {
  private readonly gate: TeamGate;

  constructor(
    private readonly deps: {
      credentials: CredentialProvider;
      outbound: Outbound;
      gate?: TeamGate;
      /** Where a call refused by its grant is recorded, in the team's audit trail. */
      events?: ConnectionEvents;
    },
  ) {
    this.gate = deps.gate ?? new TeamGate();
  }

  async request(connectionId: string, request: ConnectionRequest): Promise<OutboundResponse> {
    const replayable = !isStream(request.body);
    let credentials = this.deps.credentials.cached(connectionId) ?? (await this.deps.credentials.get(connectionId));
    const url = targetUrl(credentials.baseUrl, request.url, credentials.allowedHosts);
    if (!withinGrant(credentials, request, url)) await this.refuse(credentials, request, url);
    const release = this.gate.tryEnter(credentials.teamId) ?? (await this.gate.enter(credentials.teamId));
    try {
      let response = await this.deps.outbound.request(this.prepare(credentials, request, url));
      const expired = answerSaysExpired(credentials.resolved.expiredWhen, response.status, () => jsonOf(response.body));
      if (expired && replayable && credentials.renewable) {
        credentials = await this.deps.credentials.get(connectionId, { staleVersion: credentials.version });
        response = await this.deps.outbound.request(this.prepare(credentials, request));
      }
      if (response.status === 401 && credentials.lostOn401)
        await this.deps.credentials.refusedWith401(connectionId, credentials.version);
      return response;
    } finally {
      release();
    }
  }

  async stream(connectionId: string, request: ConnectionRequest): Promise<OutboundStreamResponse> {
    const replayable = !isStream(request.body);
    // Cached credentials, a call within its grant and a free slot, as on most proxied calls: nothing to
    // wait for before sending.
    let credentials = this.deps.credentials.cached(connectionId) ?? (await this.deps.credentials.get(connectionId));
    const url = targetUrl(credentials.baseUrl, request.url, credentials.allowedHosts);
    if (!withinGrant(credentials, request, url)) await this.refuse(credentials, request, url);
    const release = this.gate.tryEnter(credentials.teamId) ?? (await this.gate.enter(credentials.teamId));
    try {
      let response = await this.deps.outbound.stream(this.prepare(credentials, request, url));
      // A rule that reads the body is checked only where a retry could follow.
      const checked =
        replayable && credentials.renewable
          ? await streamSaysExpired(credentials.resolved.expiredWhen, response)
          : { expired: false, response };
      response = checked.response;
      if (checked.expired) {
        response.body.destroy();
        credentials = await this.deps.credentials.get(connectionId, { staleVersion: credentials.version });
        response = await this.deps.outbound.stream(this.prepare(credentials, request));
      }
      if (response.status === 401 && credentials.lostOn401)
        await this.deps.credentials.refusedWith401(connectionId, credentials.version);
      // The slot is held until the body is read or dropped, as the socket is (a body closes either way).
      response.whenConsumed(release);
      return response;
    } catch (error) {
      release();
      throw error;
    }
  }

  /**
   * A call outside its grant, refused before any credential is placed or any slot taken, so the
   * service never sees it: recorded in the team's audit trail, then thrown.
   */
  private async refuse(credentials: Credentials, request: ConnectionRequest, url: URL): Promise<never> {
    const grant = request.grant!;
    const method = request.method.toUpperCase();
    const path = calledPath(url, credentials.baseUrl);
    const message = `${grant.holder} may not call ${method} ${path} on this connection: ${grant.remedy}.`;
    await this.deps.events?.record(
      credentials.teamId,
      credentials.connectionId,
      'connection.endpoint_refused',
      grant.actor,
      message,
    );
    throw new HitchError('endpoint_not_granted', {
      message,
      details: { connectionId: credentials.connectionId, method, path },
    });
  }

  /**
   * The outbound request: the connection's credentials go as its list, placed and dropped by the outbound
   * client. `url`: the target already made for these credentials, when the grant was judged on it.
   */
  private prepare(
    credentials: Credentials,
    request: ConnectionRequest,
    url = targetUrl(credentials.baseUrl, request.url, credentials.allowedHosts),
  ): OutboundRequest {
    if (!credentials.placed.length) throw new HitchError('connection_not_authorized');
    request.onCredentials?.(credentials.placed);
    // Options set one by one: spreading conditional objects into a literal costs every call a slow copy.
    const outbound: OutboundRequest = {
      url,
      method: request.method,
      headers: withAppHeaders(credentials.resolved.headers, request.headers),
      body: request.body ?? null,
      credentials: credentials.placed,
    };
    if (request.maxRedirects !== undefined) outbound.maxRedirects = request.maxRedirects;
    if (request.timeoutMs) outbound.timeoutMs = request.timeoutMs;
    if (request.maxResponseBytes) outbound.maxResponseBytes = request.maxResponseBytes;
    if (request.signal) outbound.signal = request.signal;
    return outbound;
  }
}

/** Whether the request's grant, if it has one, allows the call to `url` (synchronous: an allowed call waits for nothing). */
function withinGrant(credentials: Credentials, request: ConnectionRequest, url: URL): boolean {
  return !request.grant || grantAllows(request.grant.patterns, request.method.toUpperCase(), url, credentials.baseUrl);
}

function isStream(body: unknown): boolean {
  return body !== null && typeof body === 'object' && typeof (body as { pipe?: unknown }).pipe === 'function';
}
