/**
 * A service that hands out sessions after a login, written from RFC 6265 (cookies)
 * and the double-submit CSRF pattern, not from Hitch's client:
 *
 * - `POST {loginPath}` with `{"username", "password"}` (JSON or form) answers 200 and
 *   sets the session cookie and a `CSRF-TOKEN` cookie, or 401 with a message naming
 *   the user;
 * - `POST /token-login` answers `{"data": {"token"}, "expires_in"}`: a session in the
 *   JSON body, sent back in `X-Auth-Token`;
 * - every call below an API prefix needs a live session; a call that is not GET or HEAD
 *   also needs the CSRF token in `X-CSRF-Token`, equal to its cookie (unless
 *   `csrf: 'browser-only'`, Axelor's rule: no check for clients that send no Origin);
 * - a call may instead carry an API key in `API-KEY` (Axelor 8) or, with `basicAuth`, Basic
 *   credentials: it is served without a session, as Axelor serves direct clients;
 * - a lapsed session is told the way the prefix says: `/api` answers 401, `/api403`
 *   answers 403, `/apibody` answers 200 with `{"error": {"code": "TOKEN_EXPIRED"}}`.
 *
 * Sessions live `ttlSeconds` of the service's own clock, which tests move (`advance`):
 * nothing sleeps.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SessionServiceOptions {
  loginPath?: string;
  cookieName?: string;
  ttlSeconds?: number;
  /** `always` (default) or `browser-only`. */
  csrf?: 'always' | 'browser-only';
  /** Sent as the session cookie's Max-Age, when set. */
  cookieMaxAgeSeconds?: number;
  /** Accept `Authorization: Basic` of a known user on every call (Axelor's `auth.local.basic-auth = direct`). */
  basicAuth?: boolean;
}

interface Session {
  user: string;
  csrf: string;
  expiresAt: number;
}

export interface SessionService {
  url: string;
  /** What the service accepts now; tests change the password to play a changed account. */
  users: Map<string, string>;
  /** API keys (sent in `API-KEY`, as Axelor 8 reads them) and the user each belongs to. */
  apiKeys: Map<string, string>;
  /** Logins answered 200, and how many requests each path saw. */
  counts: { logins: number; refusedLogins: number; logouts: number; expiredCalls: number };
  /** Every session id and CSRF token handed out: secrets a leak scan looks for. */
  issued: string[];
  /** Every request's path, method and headers, in order. */
  seen: Array<{ path: string; method: string; headers: IncomingMessage['headers'] }>;
  /** Moves the service's clock: sessions older than their lifetime lapse. */
  advance(seconds: number): void;
  /** Lapses every session at once. */
  expireAll(): void;
  liveSessions(): number;
  close(): Promise<void>;
}

const SIGNALS: Record<string, 'status_401' | 'status_403' | 'body_200'> = {
  api: 'status_401',
  api403: 'status_403',
  apibody: 'body_200',
  ws: 'status_401',
};

/** RFC 6265 §5.4: the Cookie header is `name=value` pairs joined by "; ". */
function cookiesOf(req: IncomingMessage): Map<string, string> {
  const out = new Map<string, string>();
  for (const pair of (req.headers.cookie ?? '').split(';')) {
    const eq = pair.indexOf('=');
    if (eq > 0) out.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
  }
  return out;
}

async function bodyOf(req: IncomingMessage): Promise<Record<string, string>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if ((req.headers['content-type'] ?? '').includes('application/x-www-form-urlencoded'))
    return Object.fromEntries(new URLSearchParams(text));
  try {
    return JSON.parse(text) as Record<string, string>;
  } catch {
    return {};
  }
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string | string[]> = {}) {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

export async function startSessionService(options: SessionServiceOptions = {}): Promise<SessionService> {
  const loginPath = options.loginPath ?? '/login';
  const cookieName = options.cookieName ?? 'SID';
  const ttlMs = (options.ttlSeconds ?? 60) * 1000;
  let clock = Date.now();
  const sessions = new Map<string, Session>();
  const users = new Map<string, string>();
  const apiKeys = new Map<string, string>();
  const counts = { logins: 0, refusedLogins: 0, logouts: 0, expiredCalls: 0 };
  const seen: SessionService['seen'] = [];
  const issued: string[] = [];

  const live = (id: string | undefined): Session | undefined => {
    const session = id === undefined ? undefined : sessions.get(id);
    return session && session.expiresAt > clock ? session : undefined;
  };

  /** A call that carries its own proof (an API key, Basic) gets a session for itself alone, as a direct client does. */
  const sessionless = (req: IncomingMessage): Session | undefined => {
    const key = req.headers['api-key'];
    const owner = typeof key === 'string' ? apiKeys.get(key) : undefined;
    if (owner) return { user: owner, csrf: '', expiresAt: Infinity };
    const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (!options.basicAuth || !basic) return undefined;
    const decoded = Buffer.from(basic, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const user = decoded.slice(0, colon);
    return colon > 0 && users.get(user) === decoded.slice(colon + 1)
      ? { user, csrf: '', expiresAt: Infinity }
      : undefined;
  };

  const login = async (req: IncomingMessage, res: ServerResponse, asToken: boolean) => {
    const { username = '', password } = await bodyOf(req);
    if (users.get(username) === undefined || users.get(username) !== password) {
      counts.refusedLogins++;
      send(res, 401, { message: `Wrong user name or password for ${username}` });
      return;
    }
    counts.logins++;
    const id = randomBytes(18).toString('base64url');
    const csrf = randomBytes(12).toString('hex');
    sessions.set(id, { user: username, csrf, expiresAt: clock + ttlMs });
    issued.push(id, csrf);
    if (asToken) {
      send(res, 200, { data: { token: id }, expires_in: ttlMs / 1000 });
      return;
    }
    const maxAge = options.cookieMaxAgeSeconds === undefined ? '' : `; Max-Age=${options.cookieMaxAgeSeconds}`;
    send(
      res,
      200,
      { status: 0 },
      {
        'set-cookie': [
          `${cookieName}=${id}; Path=/; HttpOnly${maxAge}`,
          `CSRF-TOKEN=${csrf}; Path=/`,
          // A cookie the client must drop at once (RFC 6265 §5.3: expired): never sent back.
          `stale=gone; Max-Age=0; Path=/`,
        ],
      },
    );
  };

  const api = (req: IncomingMessage, res: ServerResponse, url: URL, signal: (typeof SIGNALS)[string]) => {
    const cookies = cookiesOf(req);
    const byToken = req.headers['x-auth-token'];
    const id = typeof byToken === 'string' ? byToken : cookies.get(cookieName);
    const session = live(id) ?? sessionless(req);
    if (!session) {
      counts.expiredCalls++;
      if (signal === 'status_403') send(res, 403, { error: 'forbidden' });
      else if (signal === 'body_200') send(res, 200, { error: { code: 'TOKEN_EXPIRED', message: 'Session expired' } });
      else send(res, 401, { error: 'session expired' });
      return;
    }
    const checksCsrf = options.csrf !== 'browser-only' || req.headers.origin !== undefined;
    const unsafe = req.method !== 'GET' && req.method !== 'HEAD';
    if (byToken === undefined && session.csrf && checksCsrf && unsafe) {
      const header = req.headers['x-csrf-token'];
      if (header !== session.csrf || cookies.get('CSRF-TOKEN') !== session.csrf) {
        send(res, 403, { error: 'csrf token missing or wrong' });
        return;
      }
    }
    if (cookies.has('stale')) {
      send(res, 400, { error: 'an expired cookie came back' });
      return;
    }
    const rest = url.pathname.split('/').slice(2).join('/');
    if (rest === 'me' || rest.startsWith('rest/com.axelor.apps.base.db.Partner')) {
      send(res, 200, { id: session.user, name: `${session.user} (session)`, status: 0, data: [{ id: 1 }] });
      return;
    }
    send(res, 200, { who: session.user, method: req.method, path: url.pathname });
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    seen.push({ path: url.pathname, method: req.method ?? 'GET', headers: req.headers });
    const route = async () => {
      if (url.pathname === loginPath && req.method === 'POST') return login(req, res, false);
      if (url.pathname === '/token-login' && req.method === 'POST') return login(req, res, true);
      if (url.pathname === '/logout') {
        const id = cookiesOf(req).get(cookieName);
        if (id !== undefined && sessions.delete(id)) counts.logouts++;
        send(res, 200, {});
        return;
      }
      const signal = SIGNALS[url.pathname.split('/')[1] ?? ''];
      if (signal) api(req, res, url, signal);
      else send(res, 404, { error: 'not found' });
    };
    route().catch((error: unknown) => send(res, 500, { error: String(error) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    users,
    apiKeys,
    issued,
    counts,
    seen,
    advance(seconds) {
      clock += seconds * 1000;
    },
    expireAll() {
      for (const session of sessions.values()) session.expiresAt = clock;
    },
    liveSessions: () => [...sessions.values()].filter((s) => s.expiresAt > clock).length,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
