/**
 * Meta's logins as Meta documents them, on 127.0.0.1. Instagram API with Instagram Login (the default):
 * - `POST /oauth/access_token` exchanges the code (form body: client_id, client_secret,
 *   grant_type=authorization_code, redirect_uri, code) for a short-lived token that lasts one hour,
 *   answering `{ access_token, user_id }` without `expires_in`
 *   (https://developers.facebook.com/docs/instagram-platform/reference/oauth-access-token);
 * - `GET /access_token?grant_type=ig_exchange_token&client_secret=…&access_token=<short-lived>`
 *   answers a long-lived token of 60 days, `{ access_token, token_type, expires_in }`
 *   (https://developers.facebook.com/documentation/instagram-platform/reference/access_token);
 * - `GET /refresh_access_token?grant_type=ig_refresh_token&access_token=<long-lived>` refreshes a
 *   long-lived token that is at least 24 hours old and unexpired, for 60 days from then
 *   (https://developers.facebook.com/documentation/instagram-platform/reference/refresh_access_token);
 * - the Graph API (`/<version>/me`) takes the token as a Bearer header or `access_token` query.
 * Refusals are Graph API error objects (`{ error: { message, type, code } }`, code 190 for a token
 * that has expired or is unknown: https://developers.facebook.com/docs/graph-api/guides/error-handling).
 * Threads documents the same steps with `th_` grant types (`flavor: 'threads'`).
 *
 * `flavor: 'facebook'` is Facebook Login instead: the code is exchanged at `/<version>/oauth/access_token`
 * for a user token that expires "in hours" (this server says two: Meta names no number) with
 * `expires_in`; a GET to the same path with `grant_type=fb_exchange_token`, `client_id`,
 * `client_secret` and `fb_exchange_token` answers a long-lived token of about 60 days, and there is
 * no refresh (https://developers.facebook.com/documentation/facebook-login/guides/access-tokens/get-long-lived).
 *
 * The server's clock is the test's (`advance`), so "24 hours old" needs no waiting. The authorize
 * endpoint grants at once: `authorize()` plays the browser.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

const HOUR_MS = 3_600_000;
const FACEBOOK_SHORT_LIVED_S = 2 * 3600;
const LONG_LIVED_S = 60 * 24 * 3600;
const REFRESHABLE_AFTER_MS = 24 * HOUR_MS;

export interface MetaRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: URLSearchParams;
}

export interface MetaLoginServer {
  origin: string;
  clientId: string;
  clientSecret: string;
  userId: string;
  username: string;
  /** Every request to the token endpoints (code, exchange, refresh), in order. */
  tokenRequests: MetaRequest[];
  apiRequests: MetaRequest[];
  /** Long-lived tokens in the order they were issued. */
  longLivedTokens: string[];
  shortLivedTokens: string[];
  /** Moves the server's clock on. */
  advance(ms: number): void;
  /** Revokes every token, as when the person removes the app from their account. */
  revokeAll(): void;
  authorize(authorizeUrl: string): Promise<string>;
  close(): Promise<void>;
}

interface Token {
  kind: 'short' | 'long';
  issuedAt: number;
  expiresAt: number;
}

export type MetaFlavor = 'instagram' | 'threads' | 'facebook';

export async function startMetaLoginServer(options: {
  redirectUri: string;
  flavor: MetaFlavor;
}): Promise<MetaLoginServer> {
  const { flavor } = options;
  const prefix = flavor === 'threads' ? 'th' : 'ig';
  const clientId = String(100_000_000 + Math.floor(Math.random() * 1e8));
  const clientSecret = randomBytes(16).toString('hex');
  const userId = '17841405793187218';
  const username = 'hitch.test';
  const codes = new Map<string, { redirectUri: string }>();
  const tokens = new Map<string, Token>();
  const tokenRequests: MetaRequest[] = [];
  const apiRequests: MetaRequest[] = [];
  const longLivedTokens: string[] = [];
  const shortLivedTokens: string[] = [];
  let clock = Date.now();

  type Answer = { status: number; body: unknown };
  const ok = (body: unknown): Answer => ({ status: 200, body });
  const graphError = (code: number, message: string): Answer => ({
    status: 400,
    body: { error: { message, type: 'OAuthException', code, fbtrace_id: randomBytes(6).toString('hex') } },
  });
  const issue = (kind: Token['kind']) => {
    const token = `${kind === 'short' ? 'IGQVJ' : 'IGAAL'}${randomBytes(24).toString('hex')}`;
    const lifetime =
      kind === 'short' ? (flavor === 'facebook' ? FACEBOOK_SHORT_LIVED_S * 1000 : HOUR_MS) : LONG_LIVED_S * 1000;
    tokens.set(token, { kind, issuedAt: clock, expiresAt: clock + lifetime });
    (kind === 'short' ? shortLivedTokens : longLivedTokens).push(token);
    return token;
  };
  const live = (token: string | null, kind?: Token['kind']) => {
    const found = token ? tokens.get(token) : undefined;
    return found && found.expiresAt > clock && (kind === undefined || found.kind === kind) ? found : undefined;
  };

  function answer(req: MetaRequest): Answer {
    const tokenStep = flavor === 'facebook' ? facebookTokenStep(req) : instagramTokenStep(req);
    if (tokenStep) {
      tokenRequests.push(req);
      return tokenStep;
    }
    return api(req);
  }

  /** The code exchange's checks, the same for every flavor. */
  function codeRefused(b: URLSearchParams): boolean {
    const code = codes.get(b.get('code') ?? '');
    const refused =
      b.get('grant_type') !== 'authorization_code' ||
      b.get('client_id') !== clientId ||
      b.get('client_secret') !== clientSecret ||
      !code ||
      code.redirectUri !== b.get('redirect_uri');
    if (!refused) codes.delete(b.get('code')!);
    return refused;
  }

  function instagramTokenStep(req: MetaRequest): Answer | undefined {
    const q = req.query;
    if (req.path === '/oauth/access_token' && req.method === 'POST') {
      if (codeRefused(req.body)) return graphError(100, 'Invalid authorization code or client.');
      return ok({ access_token: issue('short'), user_id: Number(userId) });
    }
    if (req.path === '/access_token' && req.method === 'GET') {
      if (q.get('grant_type') !== `${prefix}_exchange_token` || q.get('client_secret') !== clientSecret)
        return graphError(100, 'Invalid grant_type or client_secret.');
      if (!live(q.get('access_token'), 'short')) return graphError(190, 'Error validating access token.');
      return ok({ access_token: issue('long'), token_type: 'bearer', expires_in: LONG_LIVED_S });
    }
    if (req.path === '/refresh_access_token' && req.method === 'GET') {
      if (q.get('grant_type') !== `${prefix}_refresh_token`) return graphError(100, 'Invalid grant_type.');
      const token = live(q.get('access_token'), 'long');
      if (!token) return graphError(190, 'Error validating access token: the session has expired.');
      if (clock - token.issuedAt < REFRESHABLE_AFTER_MS)
        // Meta documents the rule, not the error it answers: any refusal will do here.
        return graphError(100, 'The token must be at least 24 hours old to be refreshed.');
      return ok({ access_token: issue('long'), token_type: 'bearer', expires_in: LONG_LIVED_S });
    }
    return undefined;
  }

  function facebookTokenStep(req: MetaRequest): Answer | undefined {
    if (!/^\/v[\d.]+\/oauth\/access_token$/.test(req.path)) return undefined;
    if (req.method === 'POST') {
      if (codeRefused(req.body)) return graphError(100, 'Invalid verification code format.');
      return ok({ access_token: issue('short'), token_type: 'bearer', expires_in: FACEBOOK_SHORT_LIVED_S });
    }
    const q = req.query;
    if (
      q.get('grant_type') !== 'fb_exchange_token' ||
      q.get('client_id') !== clientId ||
      q.get('client_secret') !== clientSecret
    )
      return graphError(100, 'Invalid grant_type, client_id or client_secret.');
    if (!live(q.get('fb_exchange_token'), 'short')) return graphError(190, 'Error validating access token.');
    return ok({ access_token: issue('long'), token_type: 'bearer', expires_in: LONG_LIVED_S });
  }

  function api(req: MetaRequest): Answer {
    const q = req.query;
    apiRequests.push(req);
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? q.get('access_token');
    if (!live(bearer, 'long') && !live(bearer, 'short')) return graphError(190, 'Error validating access token.');
    if (/^\/v[\d.]+\/me$/.test(req.path)) return ok({ user_id: userId, username, id: userId, name: username });
    if (/^\/v[\d.]+\/me\/media$/.test(req.path)) return ok({ data: [{ id: '18000000000000001', caption: 'Hello' }] });
    return { status: 404, body: { error: { message: 'Unknown path', type: 'GraphMethodException', code: 100 } } };
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const { status, body } = answer({
        method: req.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body: new URLSearchParams(Buffer.concat(chunks).toString('utf8')),
      });
      res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8' });
      res.end(JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    origin,
    clientId,
    clientSecret,
    userId,
    username,
    tokenRequests,
    apiRequests,
    longLivedTokens,
    shortLivedTokens,
    advance(ms) {
      clock += ms;
    },
    revokeAll() {
      tokens.clear();
    },
    async authorize(authorizeUrl) {
      const url = new URL(authorizeUrl);
      const redirectUri = url.searchParams.get('redirect_uri') ?? '';
      if (url.searchParams.get('client_id') !== clientId || redirectUri !== options.redirectUri)
        throw new Error(`authorize: unexpected client or redirect_uri in ${authorizeUrl}`);
      if (url.searchParams.get('response_type') !== 'code') throw new Error('authorize: response_type must be code');
      const code = randomBytes(16).toString('hex');
      codes.set(code, { redirectUri });
      const back = new URL(redirectUri);
      back.searchParams.set('code', code);
      back.searchParams.set('state', url.searchParams.get('state') ?? '');
      // Meta appends #_ to the redirect; a browser keeps fragments to itself.
      return `${back.toString()}#_`;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
