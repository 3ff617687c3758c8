import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { createUser } from '../../src/accounts/users.ts';
import type { UserWithTeams } from '../../src/accounts/types.ts';
import { loadCatalog } from '../../src/catalog/catalog.ts';
import { loadConfig, type Config } from '../../src/config.ts';
import { createConnections, type Connections } from '../../src/connections/index.ts';
import { createHttpServices } from '../../src/http/services.ts';
import { buildHttpApp } from '../../src/http/app.ts';
import { SESSION_COOKIE } from '../../src/http/session-cookie.ts';
import { createInProcessJobs } from '../../src/jobs/in-process.ts';
import { createLogger, type Logger } from '../../src/log.ts';
import { createOutbound } from '../../src/outbound/client.ts';
import { createVault } from '../../src/vault/vault.ts';
import type { TestStore } from '../helpers/store.ts';

export const PUBLIC_URL = 'http://127.0.0.1:8080';
export const ORIGIN = PUBLIC_URL;
export const PASSWORD = 'correct horse battery';

export interface TestApp {
  app: FastifyInstance;
  connections: Connections;
  store: TestStore;
  config: Config;
  close(): Promise<void>;
}

/** The real HTTP app over a real store, vault and outbound client, before `ready` so a test may add a route. */
export async function openTestApp(
  open: () => Promise<TestStore>,
  env: Record<string, string> = {},
  log: Logger = createLogger('silent'),
): Promise<TestApp> {
  const store = await open();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hitch-http-'));
  const config = loadConfig({
    PUBLIC_URL,
    DATA_DIR: dataDir,
    HITCH_MASTER_KEY: randomBytes(32).toString('base64'),
    ...env,
  });
  const vault = await createVault({ store, masterKey: randomBytes(32), reloadIntervalMs: 0 });
  const outbound = createOutbound({ network: config.network, log });
  const jobs = createInProcessJobs({ log });
  const catalog = loadCatalog({ appsDir: config.appsDir, env: { ...process.env, ...env } });
  const connections = createConnections({
    config,
    store,
    vault,
    outbound,
    catalog,
    log,
    env: { ...process.env, ...env },
  });
  const app = buildHttpApp(createHttpServices({ config, store, log, catalog, connections }));
  return {
    app,
    connections,
    store,
    config,
    async close() {
      await app.close();
      await jobs.stop();
      await outbound.close();
      vault.close();
      await store.destroy();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

let counter = 0;
export function uniqueEmail(label = 'user'): string {
  counter += 1;
  return `${label}-${counter}-${process.pid}@example.com`;
}

export function newUser(
  t: TestApp,
  options: {
    email?: string;
    isAdmin?: boolean;
    team?: { name: string } | { id: string; role?: 'owner' | 'admin' | 'member' };
  } = {},
): Promise<UserWithTeams> {
  return createUser(t.store, {
    email: options.email ?? uniqueEmail(),
    password: PASSWORD,
    ...(options.isAdmin ? { isAdmin: true } : {}),
    ...(options.team ? { team: options.team } : {}),
  });
}

/** The session cookie a response set, as a Cookie header value. */
export function sessionCookieOf(response: LightMyRequestResponse): string {
  const cookie = response.cookies.find((c) => c.name === SESSION_COOKIE);
  if (!cookie) throw new Error(`no session cookie in response ${response.statusCode}: ${response.body}`);
  return `${SESSION_COOKIE}=${cookie.value}`;
}

export async function login(
  app: FastifyInstance,
  email: string,
  password = PASSWORD,
  cookie?: string,
): Promise<string> {
  const response = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    headers: { origin: ORIGIN, ...(cookie ? { cookie } : {}) },
    payload: { email, password },
  });
  if (response.statusCode !== 200) throw new Error(`login failed: ${response.statusCode} ${response.body}`);
  return sessionCookieOf(response);
}

/** Headers of a browser request from Hitch's own page. */
export function browser(cookie: string): Record<string, string> {
  return { cookie, origin: ORIGIN };
}

export function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}
