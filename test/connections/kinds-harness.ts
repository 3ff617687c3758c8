import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import {
  createServer,
  request as httpRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createApiToken } from '../../src/accounts/api-tokens.ts';
import type { UserWithTeams } from '../../src/accounts/types.ts';
import { loadCatalog, type Catalog } from '../../src/catalog/catalog.ts';
import type { AppInput } from '../../src/catalog/schema.ts';
import { loadConfig } from '../../src/config.ts';
import { createConnections, type Connections } from '../../src/connections/index.ts';
import type { KindFactory } from '../../src/connections/kinds/index.ts';
import { createHttpServices } from '../../src/http/services.ts';
import { buildHttpApp } from '../../src/http/app.ts';
import { createInProcessJobs } from '../../src/jobs/in-process.ts';
import type { Jobs } from '../../src/jobs/types.ts';
import { createLogger, type Logger } from '../../src/log.ts';
import { createOutbound } from '../../src/outbound/client.ts';
import { createScenarioLinks, createScenarios } from '../../src/scenarios/index.ts';
import { createVault } from '../../src/vault/vault.ts';
import type { Vault } from '../../src/vault/types.ts';
import { browser, login, newUser, PUBLIC_URL } from '../http/app.ts';
import type { TestStore } from '../helpers/store.ts';
import type { FastifyInstance } from 'fastify';

/** A small HTTP server on loopback; `routes` answer by path (without the query). */
export async function startServer(
  handle: (req: IncomingMessage, res: ServerResponse, url: URL) => void | Promise<void>,
): Promise<{ url: string; server: Server; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    Promise.resolve(handle(req, res, url)).catch((error: unknown) => {
      res.statusCode = 500;
      res.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export async function readAll(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

/** What a service accepts right now: tests change these to play a key that stops working. */
export interface Accepted {
  apiKey: string;
  trelloKey: string;
  trelloToken: string;
  username: string;
  password: string;
}

/**
 * A service that takes an API key in `x-api-key` (or as `Authorization: Token …` for the
 * prefix case), Trello's `key` and `token` query parameters, or Basic. `/me` is its
 * verify request; `/echo/...` answers what it received.
 */
export function serviceHandler(
  accepted: Accepted,
  seen: Array<{ path: string; headers: IncomingHttpHeaders; query: string }>,
) {
  const authorized = (req: IncomingMessage, url: URL): string | null => {
    if (req.headers['x-api-key'] === accepted.apiKey) return 'key-user';
    if (req.headers.authorization === `Token ${accepted.apiKey}`) return 'key-user';
    if (url.searchParams.get('key') === accepted.trelloKey && url.searchParams.get('token') === accepted.trelloToken)
      return 'trello-user';
    const basic = `Basic ${Buffer.from(`${accepted.username}:${accepted.password}`).toString('base64')}`;
    if (req.headers.authorization === basic) return 'basic-user';
    return null;
  };
  return async (req: IncomingMessage, res: ServerResponse, url: URL) => {
    seen.push({ path: url.pathname, headers: req.headers, query: url.search });
    const who = authorized(req, url);
    if (url.pathname.endsWith('/me')) {
      if (who) json(res, 200, { id: who, name: `${who} account` });
      else json(res, 401, { message: `Invalid API key ${String(req.headers['x-api-key'] ?? '')}`.trim() });
      return;
    }
    if (!who) {
      json(res, 401, { message: 'unauthorized' });
      return;
    }
    const body = await readAll(req);
    json(res, 200, {
      who,
      method: req.method,
      path: url.pathname,
      query: url.search,
      headers: req.headers,
      bodyBytes: body.length,
    });
  };
}

export function keyApps(serviceUrl: string): AppInput[] {
  const verify = { url: '/me', accountId: ['id'], accountLabel: ['name'] };
  return [
    {
      id: 'keyed',
      name: 'Keyed',
      connections: [
        {
          type: 'apiKey',
          keys: [{ parameter: 'apiKey', in: 'header', name: 'X-Api-Key' }],
          baseUrl: `${serviceUrl}/v1`,
          verify,
          parameters: [{ name: 'apiKey', label: 'API key', type: 'password', secret: true, required: true }],
        },
      ],
    },
    {
      id: 'trelloish',
      name: 'Trelloish',
      connections: [
        {
          type: 'apiKey',
          keys: [
            { parameter: 'key', in: 'query', name: 'key' },
            { parameter: 'token', in: 'query', name: 'token' },
          ],
          baseUrl: `${serviceUrl}/1`,
          verify: { url: '/members/me', accountId: ['id'], accountLabel: ['name'] },
          parameters: [
            { name: 'key', label: 'API key', type: 'password', secret: true, required: true },
            { name: 'token', label: 'Token', type: 'password', secret: true, required: true },
          ],
        },
      ],
    },
    {
      id: 'basicish',
      name: 'Basicish',
      connections: [
        {
          type: 'basic',
          baseUrl: `${serviceUrl}/v1`,
          verify,
          parameters: [
            { name: 'username', label: 'Username', required: true },
            { name: 'password', label: 'Password', type: 'password', secret: true, required: true },
          ],
        },
      ],
    },
  ] as AppInput[];
}

/**
 * An app with a session kind for test/peers/session-service.ts: log in at `/login`,
 * keep the SID cookie and the CSRF token, send the token back in X-CSRF-Token too.
 */
export function cookieSessionApp(
  id: string,
  serviceUrl: string,
  options: { prefix?: string; expiredWhen?: unknown; modules?: unknown[] } = {},
): AppInput {
  return {
    id,
    name: id,
    connections: [
      {
        type: 'session',
        loginUrl: `${serviceUrl}/login`,
        loginBody: { username: '{{username}}', password: '{{password}}' },
        session: [
          { from: 'cookie', name: 'SID' },
          { from: 'cookie', name: 'CSRF-TOKEN' },
          { from: 'cookie', name: 'CSRF-TOKEN', in: 'header', as: 'X-CSRF-Token' },
        ],
        lifetimeSeconds: 600,
        logoutUrl: `${serviceUrl}/logout`,
        baseUrl: `${serviceUrl}${options.prefix ?? '/api'}`,
        verify: { url: '/me', accountId: ['id'], accountLabel: ['name'] },
        ...(options.expiredWhen ? { expiredWhen: options.expiredWhen } : {}),
        parameters: [
          { name: 'username', label: 'User name', required: true },
          { name: 'password', label: 'Password', type: 'password', secret: true, required: true },
        ],
      },
    ],
    modules: options.modules ?? [],
  } as AppInput;
}

export interface KindsWorld {
  app: FastifyInstance;
  vault: Vault;
  catalog: Catalog;
  connections: Connections;
  store: TestStore;
  jobs: Jobs;
  user: UserWithTeams;
  teamId: string;
  cookie: string;
  headers: Record<string, string>;
  /** `Authorization: Bearer <API token>` of the same user. */
  bearer: Record<string, string>;
  apiToken: string;
  close(): Promise<void>;
}

/** Hitch with extra apps (through HITCH_APPS_DIR), a signed-in user with an API token; jobs not started. */
export async function openKindsWorld(
  open: () => Promise<TestStore>,
  apps: AppInput[],
  options: {
    env?: Record<string, string>;
    log?: Logger;
    proxyTimeoutMs?: number;
    kinds?: KindFactory[];
    /** Wire scenarios (and the keychain), so modules can run through the connections. */
    scenarios?: boolean;
  } = {},
): Promise<KindsWorld> {
  const store = await open();
  const appsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hitch-apps-'));
  for (const app of apps) fs.writeFileSync(path.join(appsDir, `${app.id}.json`), JSON.stringify(app));
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hitch-data-'));
  const env = {
    PUBLIC_URL,
    DATA_DIR: dataDir,
    HITCH_MASTER_KEY: randomBytes(32).toString('base64'),
    HITCH_APPS_DIR: appsDir,
    HITCH_ALLOW_PRIVATE_NETWORK: 'true',
    ...options.env,
  };
  const config = loadConfig(env);
  const log = options.log ?? createLogger('silent');
  const vault = await createVault({ store, masterKey: randomBytes(32), reloadIntervalMs: 0 });
  const outbound = createOutbound({ network: config.network, log });
  const catalog = loadCatalog({ appsDir: config.appsDir });
  const links = options.scenarios ? createScenarioLinks({ store, catalog }) : undefined;
  const connections = createConnections({
    config,
    store,
    vault,
    outbound,
    catalog,
    log,
    env: { ...process.env, ...env },
    ...(options.kinds ? { kinds: options.kinds } : {}),
    ...(links ? { usage: links.usage, scenarioScopes: links.scopes } : {}),
  });
  const scenarios = links
    ? createScenarios({ config, store, vault, outbound, catalog, log, connections, links })
    : undefined;
  const jobs = createInProcessJobs({ log });
  const app = buildHttpApp(createHttpServices({ config, store, log, catalog, connections, scenarios }), {
    ...(options.proxyTimeoutMs ? { proxyTimeoutMs: options.proxyTimeoutMs } : {}),
  });
  const user = await newUser(
    { app, connections, store, config, close: async () => undefined },
    { team: { name: 'Ops' } },
  );
  const cookie = await login(app, user.user.email);
  const { token } = await createApiToken(store, user.user.id, 'tests');
  return {
    app,
    vault,
    catalog,
    connections,
    store,
    jobs,
    user,
    teamId: user.teams[0]!.id,
    cookie,
    headers: browser(cookie),
    bearer: { authorization: `Bearer ${token}` },
    apiToken: token,
    async close() {
      await app.close();
      await jobs.stop();
      await outbound.close();
      vault.close();
      await store.destroy();
      fs.rmSync(appsDir, { recursive: true, force: true });
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A raw HTTP request to a listening app, path sent exactly as given (no client-side normalising). */
export function rawRequest(
  base: string,
  options: { method?: string; path: string; headers?: Record<string, string | number>; body?: Buffer | string },
): Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        method: options.method ?? 'GET',
        path: options.path,
        headers: options.headers ?? {},
      },
      (res) => {
        readAll(res).then((body) => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }), reject);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}
