/**
 * A small OAuth 2.0 server on 127.0.0.1 that bends the protocol the way real
 * services do, for what oidc-provider will not do on cue: a token set nested in
 * the answer (Slack's `authed_user`), comma-separated scopes, no `expires_in`,
 * a subdomain per account (`https://{shop}.myshopify.com`), a refresh endpoint of its own
 * (Figma), token requests only as JSON, lifetimes in other units or as a moment
 * (Strava's `expires_at`), `+`-separated scopes read from the raw query (Unsplash), the code
 * under another name (Amazon's `spapi_oauth_code`), a revocation endpoint that takes JSON (Notion),
 * offline tokens that expire only when asked and a token exchange for the old ones (Shopify). It also serves a
 * "who am I" API that accepts the token only where the app says (header or
 * query), and records every request so tests can check what Hitch sent.
 *
 * The authorize endpoint grants at once (no login page): `authorize()` plays
 * the browser and returns where the service sends the person back.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface QuirkyOptions {
  redirectUri: string;
  clientAuth?: 'client_secret_post' | 'client_secret_basic';
  /** How scopes are joined in requests and answers. Default `' '`. `+` is read from the raw query, unescaped. */
  scopeSeparator?: ' ' | ',' | '+';
  /** Refresh tokens are accepted only here (and not at /oauth/token), like Figma's /v1/oauth/refresh. */
  refreshPath?: string;
  /** Accept token requests only in this encoding. Default `form`. */
  tokenBody?: 'form' | 'json';
  /** How the lifetime is written in answers instead of `expires_in` in seconds. */
  lifetimeAs?: 'expires_in_ms' | 'expires_at_unix' | 'expires_at_iso';
  /** The callback parameter that carries the code. Default `code`. */
  codeParameter?: string;
  /**
   * What `GET /api/oauth/token/accessible-resources` answers to a valid token, like Atlassian's list of
   * the sites a token may use (`[{ id, name, url, scopes }]`).
   */
  accessibleResources?: unknown;
  /** Nest the token set under this member of the answer, like Slack's `authed_user`. */
  tokenPath?: string;
  /** Lifetime of access tokens; null sends no `expires_in` at all. Default 3600. */
  expiresInSeconds?: number | null;
  /** Where the API reads the access token. Default `header` (Bearer). */
  tokenIn?: 'header' | 'query';
  /** Added to the top level of every token answer (Salesforce's `instance_url`). */
  extraTokenFields?: Record<string, unknown>;
  /** Added to the redirect back (QuickBooks' `realmId`). */
  extraCallbackParameters?: Record<string, string>;
  /**
   * Shopify's offline tokens: a code exchange without this body parameter (`expiring=1`) gets a
   * token that never expires and no refresh token; with it, an expiring token and a refresh token.
   */
  expiringWith?: { name: string; value: string };
  /**
   * RFC 8693's token exchange of a token that never expires for an expiring one (Shopify's
   * migration); `refuse` answers `invalid_grant` instead. The old token stops working on success.
   */
  tokenExchange?: { subjectTokenType: string; refuse?: boolean };
}

export interface RecordedRequest {
  host: string;
  method: string;
  path: string;
  /** The query as sent, before any decoding. */
  rawQuery: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: URLSearchParams;
}

export interface QuirkyServer {
  port: number;
  /** `http://127.0.0.1:<port>`. */
  origin: string;
  clientId: string;
  clientSecret: string;
  authorizeRequests: RecordedRequest[];
  tokenRequests: RecordedRequest[];
  /** Requests to `/oauth/revoke`, which takes the token in the body in `tokenBody`'s encoding. */
  revokeRequests: RecordedRequest[];
  apiRequests: RecordedRequest[];
  accessTokens: string[];
  /** Plays the browser at `authorizeUrl` (any host name, sent to 127.0.0.1) and returns the callback URL. */
  authorize(authorizeUrl: string): Promise<string>;
  close(): Promise<void>;
}

interface Grant {
  scopes: string[];
  challenge: string | null;
  redirectUri: string;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** RFC 6749 §2.3.1: id and secret are form-encoded before Base64. */
function basicCredentials(header: string | undefined): { id: string; secret: string } | null {
  if (!header?.startsWith('Basic ')) return null;
  const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon === -1) return null;
  const unform = (s: string) => decodeURIComponent(s.replace(/\+/g, ' '));
  return { id: unform(decoded.slice(0, colon)), secret: unform(decoded.slice(colon + 1)) };
}

export async function startQuirkyOAuthServer(options: QuirkyOptions): Promise<QuirkyServer> {
  const separator = options.scopeSeparator ?? ' ';
  const clientAuth = options.clientAuth ?? 'client_secret_post';
  const expiresIn = options.expiresInSeconds === undefined ? 3600 : options.expiresInSeconds;
  const clientId = 'quirky-client';
  const clientSecret = `s3cret ${randomBytes(12).toString('base64url')}:+/`;
  const codes = new Map<string, Grant>();
  const refreshTokens = new Map<string, string[]>();
  const live = new Set<string>();
  const authorizeRequests: RecordedRequest[] = [];
  const tokenRequests: RecordedRequest[] = [];
  const revokeRequests: RecordedRequest[] = [];
  const apiRequests: RecordedRequest[] = [];
  const accessTokens: string[] = [];

  const issue = (scopes: string[], expiring = true): Record<string, unknown> => {
    const access = `at-${randomBytes(16).toString('hex')}`;
    const refresh = `rt-${randomBytes(16).toString('hex')}`;
    live.add(access);
    accessTokens.push(access);
    if (!expiring) return { access_token: access, token_type: 'Bearer', scope: scopes.join(separator) };
    refreshTokens.set(refresh, scopes);
    const set: Record<string, unknown> = {
      access_token: access,
      token_type: options.tokenPath ? 'user' : 'Bearer',
      refresh_token: refresh,
      scope: scopes.join(separator),
    };
    if (expiresIn !== null) {
      if (options.lifetimeAs === 'expires_in_ms') set.expires_in = expiresIn * 1000;
      else if (options.lifetimeAs === 'expires_at_unix') set.expires_at = Math.floor(Date.now() / 1000) + expiresIn;
      else if (options.lifetimeAs === 'expires_at_iso')
        set.expires_at = new Date(Date.now() + expiresIn * 1000).toISOString();
      else set.expires_in = expiresIn;
    }
    const top = options.tokenPath
      ? { ok: true, team: { id: 'T1', name: 'Quirky team' }, [options.tokenPath]: { id: 'U1', ...set } }
      : set;
    return { ...top, ...options.extraTokenFields };
  };

  const token = (req: IncomingMessage, res: ServerResponse, body: URLSearchParams, at: 'token' | 'refresh'): void => {
    const basic = basicCredentials(req.headers.authorization);
    const viaPost = body.get('client_secret') !== null;
    const given = basic ?? { id: body.get('client_id') ?? '', secret: body.get('client_secret') ?? '' };
    const rightMethod = clientAuth === 'client_secret_basic' ? basic !== null && !viaPost : basic === null && viaPost;
    if (!rightMethod || given.id !== clientId || given.secret !== clientSecret) {
      json(res, 401, { error: 'invalid_client' });
      return;
    }

    const grantType = body.get('grant_type');
    if (options.refreshPath && (grantType === 'refresh_token') !== (at === 'refresh')) {
      json(res, 400, { error: 'unsupported_grant_type' });
      return;
    }
    if (grantType === 'authorization_code') {
      const grant = codes.get(body.get('code') ?? '');
      codes.delete(body.get('code') ?? '');
      if (!grant || grant.redirectUri !== body.get('redirect_uri')) {
        json(res, 400, { error: 'invalid_grant' });
        return;
      }
      if (grant.challenge) {
        const verifier = body.get('code_verifier') ?? '';
        if (createHash('sha256').update(verifier).digest('base64url') !== grant.challenge) {
          json(res, 400, { error: 'invalid_grant' });
          return;
        }
      }
      const expiring = !options.expiringWith || body.get(options.expiringWith.name) === options.expiringWith.value;
      json(res, 200, issue(grant.scopes, expiring));
      return;
    }
    if (grantType === 'urn:ietf:params:oauth:grant-type:token-exchange' && options.tokenExchange) {
      const subject = body.get('subject_token') ?? '';
      const expected = options.tokenExchange.subjectTokenType;
      const typed = body.get('subject_token_type') === expected && body.get('requested_token_type') === expected;
      const expiring = !options.expiringWith || body.get(options.expiringWith.name) === options.expiringWith.value;
      if (options.tokenExchange.refuse || !live.has(subject) || !typed || !expiring) {
        json(res, 400, { error: 'invalid_grant' });
        return;
      }
      live.delete(subject);
      json(res, 200, issue(['chat:write']));
      return;
    }
    if (grantType === 'refresh_token') {
      const scopes = refreshTokens.get(body.get('refresh_token') ?? '');
      if (!scopes) {
        json(res, 400, { error: 'invalid_grant' });
        return;
      }
      refreshTokens.delete(body.get('refresh_token')!);
      json(res, 200, issue(scopes));
      return;
    }
    json(res, 400, { error: 'unsupported_grant_type' });
  };

  const api = (req: IncomingMessage, res: ServerResponse, url: URL): void => {
    const header = req.headers.authorization;
    const fromHeader = header?.startsWith('Bearer ') ? header.slice(7) : undefined;
    const fromQuery = url.searchParams.get('access_token') ?? undefined;
    const presented = (options.tokenIn ?? 'header') === 'query' ? fromQuery : fromHeader;
    if (!presented || !live.has(presented)) {
      json(res, 401, { error: 'invalid_token' });
      return;
    }
    if (url.pathname === '/api/me') {
      json(res, 200, { id: 'U1', name: 'Quirky User', email: 'quirky@example.com' });
      return;
    }
    if (url.pathname === '/api/oauth/token/accessible-resources' && options.accessibleResources !== undefined) {
      json(res, 200, options.accessibleResources);
      return;
    }
    json(res, 200, { ok: true, path: url.pathname, host: req.headers.host });
  };

  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://placeholder');
      const raw = req.method === 'POST' ? await readBody(req) : '';
      const isJson = (req.headers['content-type'] ?? '').startsWith('application/json');
      const record: RecordedRequest = {
        host: req.headers.host ?? '',
        method: req.method ?? 'GET',
        path: url.pathname,
        rawQuery: (req.url ?? '').split('?')[1] ?? '',
        query: url.searchParams,
        headers: req.headers,
        body: isJson ? new URLSearchParams(JSON.parse(raw) as Record<string, string>) : new URLSearchParams(raw),
      };
      if (url.pathname === '/oauth/authorize') {
        authorizeRequests.push(record);
        const redirectUri = url.searchParams.get('redirect_uri') ?? '';
        if (url.searchParams.get('client_id') !== clientId || redirectUri !== options.redirectUri) {
          json(res, 400, { error: 'invalid_request' });
          return;
        }
        const code = randomBytes(16).toString('hex');
        // A "+-separated" service splits the raw query on `+`; an escaped `%2B` would be part of one scope.
        const rawScope = /(?:^|&)scope=([^&]*)/.exec(record.rawQuery)?.[1] ?? '';
        const scopes =
          separator === '+'
            ? rawScope.split('+').map(decodeURIComponent).filter(Boolean)
            : (url.searchParams.get('scope') ?? '').split(separator).filter(Boolean);
        codes.set(code, { scopes, challenge: url.searchParams.get('code_challenge'), redirectUri });
        const back = new URL(redirectUri);
        back.searchParams.set(options.codeParameter ?? 'code', code);
        back.searchParams.set('state', url.searchParams.get('state') ?? '');
        for (const [k, v] of Object.entries(options.extraCallbackParameters ?? {})) back.searchParams.set(k, v);
        res.writeHead(302, { location: back.href });
        return res.end();
      }
      const at = url.pathname === '/oauth/token' ? 'token' : url.pathname === options.refreshPath ? 'refresh' : null;
      if (at && req.method === 'POST') {
        tokenRequests.push(record);
        if ((options.tokenBody ?? 'form') !== (isJson ? 'json' : 'form')) {
          json(res, 415, { error: 'invalid_request', error_description: 'wrong body encoding' });
          return;
        }
        token(req, res, record.body, at);
        return;
      }
      if (url.pathname === '/oauth/revoke' && req.method === 'POST') {
        revokeRequests.push(record);
        const token = record.body.get('token') ?? '';
        if ((options.tokenBody ?? 'form') !== (isJson ? 'json' : 'form') || !token) {
          json(res, 400, { error: 'invalid_request', error_description: 'wrong body encoding' });
          return;
        }
        live.delete(token);
        refreshTokens.delete(token);
        json(res, 200, {});
        return;
      }
      if (url.pathname.startsWith('/api/')) {
        apiRequests.push(record);
        api(req, res, url);
        return;
      }
      json(res, 404, { error: 'not_found' });
    })().catch((error: unknown) => {
      console.error('quirky oauth server error', error);
      if (!res.headersSent) json(res, 500, { error: 'server_error' });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  return {
    port,
    origin: `http://127.0.0.1:${port}`,
    clientId,
    clientSecret,
    authorizeRequests,
    tokenRequests,
    revokeRequests,
    apiRequests,
    accessTokens,
    authorize(authorizeUrl) {
      const target = new URL(authorizeUrl);
      return new Promise((resolve, reject) => {
        const req = httpRequest(
          { host: '127.0.0.1', port, path: target.pathname + target.search, headers: { host: target.host } },
          (res) => {
            res.resume();
            if (res.statusCode !== 302 || !res.headers.location)
              reject(new Error(`authorize answered ${res.statusCode}`));
            else resolve(res.headers.location);
          },
        );
        req.on('error', reject);
        req.end();
      });
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
