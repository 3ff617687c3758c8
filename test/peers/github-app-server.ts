/**
 * A GitHub-App-shaped service, written from GitHub's documentation and not from
 * Hitch's client:
 * - the install page (`/apps/<slug>/installations/new?state=…`) installs for the
 *   person playing `installer` and sends the browser to the app's callback URL with
 *   `installation_id`, `setup_action=install`, the `state` and a `code`
 *   ("Request user authorization (OAuth) during installation");
 * - `/login/oauth/access_token` exchanges that code for a user token;
 * - `/user/installations` lists the installations that user token may use (paged);
 * - `/app/installations/<id>/access_tokens` verifies the app JWT with `jose` (RS256,
 *   `iss` the client ID, `exp` at most ten minutes after `iat`) and issues an
 *   installation token; `/installation/*` and `/repos/*` take those tokens;
 *   `DELETE /installation/token` revokes one.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { jwtVerify, type JWTHeaderParameters, type JWTPayload, type KeyLike } from 'jose';

export interface GitHubAppServer {
  origin: string;
  slug: string;
  clientId: string;
  clientSecret: string;
  /** The GitHub user who installs next, and the installation they get. */
  installer: { login: string; id: number; installationId: number };
  /** Installations by id, with their owner. */
  installations: Map<number, { login: string; id: number }>;
  /** Seconds installation tokens live. */
  tokenTtlSeconds: number;
  /** Where installs send the browser back (the app's registered callback URL). */
  callbackUrl: string;
  counts: { accessTokens: number; userTokens: number; revoked: number; refusedJwts: number };
  /** The app JWTs accepted: as sent, header, claims, and when they arrived (ms). */
  appJwts: Array<{ jwt: string; header: JWTHeaderParameters; claims: JWTPayload; receivedAt: number }>;
  /** The user tokens the install's code bought, for the secret scans. */
  userTokens: string[];
  /** The installation tokens issued, to check what a request carried. */
  issued: Map<string, number>;
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Answers; true, so a handler can `return send(…)`. */
function send(res: ServerResponse, status: number, value?: unknown): true {
  res.writeHead(status, value === undefined ? {} : { 'content-type': 'application/json' });
  res.end(value === undefined ? undefined : JSON.stringify(value));
  return true;
}

const APP_JWT_MAX_S = 600;

export async function startGitHubAppServer(options: {
  publicKey: KeyLike;
  callbackUrl: string;
  clientId?: string;
}): Promise<GitHubAppServer> {
  const codes = new Map<string, { login: string; id: number }>();
  const userTokens = new Map<string, { login: string; id: number }>();
  const installationTokens = new Map<string, { installationId: number; expiresAt: number }>();

  async function appJwtValid(req: IncomingMessage): Promise<boolean> {
    const jwt = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (!jwt) return false;
    try {
      const { payload, protectedHeader } = await jwtVerify(jwt, options.publicKey, {
        algorithms: ['RS256'],
        issuer: server.clientId,
        requiredClaims: ['iat', 'exp'],
      });
      // "no more than 10 minutes into the future".
      if (payload.exp! - Date.now() / 1000 > APP_JWT_MAX_S) return false;
      server.appJwts.push({ jwt, header: protectedHeader, claims: payload, receivedAt: Date.now() });
      return true;
    } catch {
      return false;
    }
  }

  function installationOf(req: IncomingMessage): number | undefined {
    const token = /^(?:Bearer|token) (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const live = token ? installationTokens.get(token) : undefined;
    return live && live.expiresAt > Date.now() ? live.installationId : undefined;
  }

  async function route(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
    const path = url.pathname;
    const install = /^\/apps\/([^/]+)\/installations\/new$/.exec(path);
    if (install && req.method === 'GET') {
      if (install[1] !== server.slug) return send(res, 404, { message: 'Not Found' });
      const who = server.installer;
      server.installations.set(who.installationId, { login: who.login, id: who.id });
      const code = randomBytes(10).toString('hex');
      codes.set(code, { login: who.login, id: who.id });
      const back = new URL(server.callbackUrl);
      back.searchParams.set('code', code);
      back.searchParams.set('installation_id', String(who.installationId));
      back.searchParams.set('setup_action', 'install');
      const state = url.searchParams.get('state');
      if (state) back.searchParams.set('state', state);
      res.writeHead(302, { location: back.toString() });
      res.end();
      return true;
    }
    if (path === '/login/oauth/access_token' && req.method === 'POST') {
      const form = new URLSearchParams(await readBody(req));
      const user = codes.get(form.get('code') ?? '');
      if (form.get('client_id') !== server.clientId || form.get('client_secret') !== server.clientSecret)
        return send(res, 200, { error: 'incorrect_client_credentials' });
      if (!user) return send(res, 200, { error: 'bad_verification_code' });
      codes.delete(form.get('code')!);
      server.counts.userTokens++;
      const token = `ghu_${randomBytes(12).toString('hex')}`;
      userTokens.set(token, user);
      server.userTokens.push(token);
      return send(res, 200, { access_token: token, token_type: 'bearer', scope: '' });
    }
    if (path === '/user/installations' && req.method === 'GET') {
      const user = userTokens.get(/^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '');
      if (!user) return send(res, 401, { message: 'Bad credentials' });
      const mine = [...server.installations.entries()]
        .filter(([, owner]) => owner.id === user.id)
        .map(([id, owner]) => ({ id, account: { login: owner.login, id: owner.id, type: 'User' } }));
      const perPage = Number(url.searchParams.get('per_page') ?? 30);
      const page = Number(url.searchParams.get('page') ?? 1);
      return send(res, 200, {
        total_count: mine.length,
        installations: mine.slice((page - 1) * perPage, page * perPage),
      });
    }
    const tokens = /^\/app\/installations\/(\d+)\/access_tokens$/.exec(path);
    if (tokens && req.method === 'POST') {
      if (!(await appJwtValid(req))) {
        server.counts.refusedJwts++;
        return send(res, 401, { message: 'A JSON web token could not be decoded' });
      }
      const id = Number(tokens[1]);
      if (!server.installations.has(id)) return send(res, 404, { message: 'Not Found' });
      server.counts.accessTokens++;
      const token = `ghs_${randomBytes(16).toString('hex')}`;
      const expiresAt = Date.now() + server.tokenTtlSeconds * 1000;
      installationTokens.set(token, { installationId: id, expiresAt });
      server.issued.set(token, id);
      return send(res, 201, {
        token,
        expires_at: new Date(expiresAt).toISOString(),
        permissions: { contents: 'read' },
      });
    }
    if (path === '/installation/token' && req.method === 'DELETE') {
      const token = /^(?:Bearer|token) (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      if (!token || !installationTokens.delete(token)) return send(res, 401, { message: 'Bad credentials' });
      server.counts.revoked++;
      return send(res, 204);
    }
    const installation = installationOf(req);
    if (installation === undefined) return send(res, 401, { message: 'Bad credentials' });
    if (path === '/installation/repositories')
      return send(res, 200, {
        total_count: 1,
        repositories: [{ id: 1, full_name: `${server.installations.get(installation)?.login}/hello` }],
      });
    return send(res, 200, { path, installation });
  }

  const http = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    route(req, res, url).catch((error: unknown) => send(res, 500, { message: String(error) }));
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  const server: GitHubAppServer = {
    origin,
    slug: 'hitch-test-app',
    clientId: options.clientId ?? 'Iv1.testclient0001',
    clientSecret: randomBytes(12).toString('hex'),
    installer: { login: 'octo-ann', id: 101, installationId: 5001 },
    installations: new Map([[7007, { login: 'someone-else', id: 202 }]]),
    tokenTtlSeconds: 3600,
    callbackUrl: options.callbackUrl,
    counts: { accessTokens: 0, userTokens: 0, revoked: 0, refusedJwts: 0 },
    issued: new Map(),
    appJwts: [],
    userTokens: [],
    close: () =>
      new Promise<void>((resolve) => {
        http.closeAllConnections();
        http.close(() => resolve());
      }),
  };
  return server;
}
