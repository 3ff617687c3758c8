import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { loadCatalog } from '../../src/catalog/catalog.ts';
import type { AppInput } from '../../src/catalog/schema.ts';
import { loadConfig } from '../../src/config.ts';
import { createConnections, type Connections } from '../../src/connections/index.ts';
import { createHttpServices } from '../../src/http/services.ts';
import { buildHttpApp } from '../../src/http/app.ts';
import { createInProcessJobs } from '../../src/jobs/in-process.ts';
import { createLogger, type Logger } from '../../src/log.ts';
import { createOutbound } from '../../src/outbound/client.ts';
import { createVault } from '../../src/vault/vault.ts';
import { browser, login, newUser, PUBLIC_URL, type TestApp } from '../http/app.ts';
import {
  startOAuthServer,
  type OAuthServer,
  type OAuthServerOptions,
  type TestClientAuthMethod,
} from '../peers/oauth-server.ts';
import type { TestStore } from '../helpers/store.ts';
import type { UserWithTeams } from '../../src/accounts/types.ts';
import type { Vault } from '../../src/vault/types.ts';

export const APP_ID = 'testidp';

/** An app like any in the catalog, pointed at the local OAuth server through HITCH_APPS_DIR. */
export function testApp(server: OAuthServer, overrides: Partial<Record<string, unknown>> = {}): AppInput {
  return {
    id: APP_ID,
    name: 'Test IdP',
    category: 'Testing',
    docsUrl: 'https://example.com/docs',
    scopes: [
      { name: 'openid', description: 'Know who you are' },
      { name: 'email', description: 'See your email address' },
      { name: 'read', description: 'Read your data' },
      { name: 'write', description: 'Change your data' },
      { name: 'admin', description: 'Administer your account' },
    ],
    connections: [
      {
        type: 'oauth2',
        authorizeUrl: server.authorizationEndpoint,
        tokenUrl: server.tokenEndpoint,
        revokeUrl: server.revocationEndpoint,
        issuer: server.issuer,
        baseScopes: ['openid', 'email'],
        baseUrl: server.issuer,
        verify: { url: server.userinfoEndpoint, accountId: ['sub'], accountLabel: ['email'] },
        ...overrides,
      },
    ],
  };
}

/** A second Hitch "process" on the same database: its own vault instance, outbound client and connection core. */
export interface HitchProcess {
  connections: Connections;
  close(): Promise<void>;
}

export interface HitchTestApp extends TestApp {
  /** Another instance sharing this one's store and master key, as a second server process would. */
  spawn(): Promise<HitchProcess>;
  /** This instance's vault: tests that write a stored value as an older version wrote it. */
  vault: Vault;
}

/**
 * Like test/http/app.ts's openTestApp, but keeps the master key so that a test
 * can start more "processes" on the same store.
 */
export async function openHitchApp(
  open: () => Promise<TestStore>,
  env: Record<string, string> = {},
  log: Logger = createLogger('silent'),
): Promise<HitchTestApp> {
  const store = await open();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hitch-http-'));
  const masterKey = randomBytes(32);
  const config = loadConfig({ PUBLIC_URL, DATA_DIR: dataDir, HITCH_MASTER_KEY: masterKey.toString('base64'), ...env });
  const fullEnv = { ...process.env, ...env };
  const core = async () => {
    const vault = await createVault({ store, masterKey, reloadIntervalMs: 0 });
    const outbound = createOutbound({ network: config.network, log });
    const catalog = loadCatalog({ appsDir: config.appsDir, env: fullEnv });
    const connections = createConnections({ config, store, vault, outbound, catalog, log, env: fullEnv });
    return { vault, outbound, catalog, connections };
  };
  const { vault, outbound, catalog, connections } = await core();
  const jobs = createInProcessJobs({ log });
  const app = buildHttpApp(createHttpServices({ config, store, log, catalog, connections }));
  const spawned: HitchProcess[] = [];
  return {
    app,
    connections,
    store,
    config,
    vault,
    async spawn() {
      const other = await core();
      const proc: HitchProcess = {
        connections: other.connections,
        async close() {
          await other.outbound.close();
          other.vault.close();
        },
      };
      spawned.push(proc);
      return proc;
    },
    async close() {
      for (const p of spawned) await p.close();
      await app.close();
      await jobs.stop();
      await outbound.close();
      vault.close();
      await store.destroy();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A pino destination that keeps every line in memory, for tests that read the logs. */
export function memoryLog(level: 'trace' | 'debug' | 'info' = 'trace'): { log: Logger; lines: string[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  return { log: createLogger(level, stream), lines };
}

export interface OAuthWorld {
  t: HitchTestApp;
  server: OAuthServer;
  user: UserWithTeams;
  teamId: string;
  cookie: string;
  headers: Record<string, string>;
  /** What a browser sends when it comes back to the callback page. */
  pageHeaders: Record<string, string>;
  appsDir: string;
  close(): Promise<void>;
}

/** Hitch (real HTTP app, real store) + oidc-provider on loopback + a signed-in user. */
export async function openOAuthWorld(
  open: () => Promise<TestStore>,
  options: {
    server?: OAuthServerOptions;
    /** A server shared by several worlds (started with `startSharedOAuthServer`); the world does not close it. */
    sharedServer?: OAuthServer;
    clientAuth?: TestClientAuthMethod;
    appOverrides?: Partial<Record<string, unknown>>;
    env?: Record<string, string>;
    /** False: the platform has no OAuth client for the test app (no HITCH_APP_TESTIDP_CLIENT_*). */
    platformClient?: boolean;
    log?: Logger;
  } = {},
): Promise<OAuthWorld> {
  const server =
    options.sharedServer ??
    (await startOAuthServer({ redirectUris: [`${PUBLIC_URL}/oauth/callback`], ...options.server }));
  const appsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hitch-apps-'));
  fs.writeFileSync(path.join(appsDir, `${APP_ID}.json`), JSON.stringify(testApp(server, options.appOverrides)));
  const client = server.client(options.clientAuth ?? 'client_secret_post');
  const t = await openHitchApp(
    open,
    {
      HITCH_APPS_DIR: appsDir,
      HITCH_ALLOW_PRIVATE_NETWORK: 'true',
      ...(options.platformClient === false
        ? {}
        : { HITCH_APP_TESTIDP_CLIENT_ID: client.clientId, HITCH_APP_TESTIDP_CLIENT_SECRET: client.clientSecret }),
      ...options.env,
    },
    options.log,
  );
  const user = await newUser(t, { team: { name: 'Ops' } });
  const cookie = await login(t.app, user.user.email);
  return {
    t,
    server,
    user,
    teamId: user.teams[0]!.id,
    cookie,
    headers: browser(cookie),
    pageHeaders: { cookie, host: new URL(PUBLIC_URL).host },
    appsDir,
    async close() {
      await t.close();
      if (!options.sharedServer) await server.close();
      fs.rmSync(appsDir, { recursive: true, force: true });
    },
  };
}

/** One authorization server for every world of a test file. */
export function startSharedOAuthServer(options: OAuthServerOptions = {}): Promise<OAuthServer> {
  return startOAuthServer({ redirectUris: [`${PUBLIC_URL}/oauth/callback`], ...options });
}

/** Another user, in a team of their own, signed in. */
export async function otherUser(
  w: OAuthWorld,
  teamName = 'Elsewhere',
): Promise<{ user: UserWithTeams; teamId: string; cookie: string; headers: Record<string, string> }> {
  const user = await newUser(w.t, { team: { name: teamName } });
  const cookie = await login(w.t.app, user.user.email);
  return { user, teamId: user.teams[0]!.id, cookie, headers: browser(cookie) };
}

/** Create, then have the person consent at the service, without calling Hitch's callback. */
export async function startFlow(
  w: OAuthWorld,
  body: Record<string, unknown> = {},
  person: { login?: string; consent?: true | 'deny' } = {},
): Promise<{ id: string; authorizeUrl: string; callbackUrl: string }> {
  const created = await w.t.app.inject({
    method: 'POST',
    url: '/api/v1/connections',
    headers: w.headers,
    payload: { app: APP_ID, ...body },
  });
  if (created.statusCode !== 201) throw new Error(`create failed: ${created.statusCode} ${created.body}`);
  const { connection, authorizeUrl } = created.json<{ connection: { id: string }; authorizeUrl: string }>();
  const { callbackUrl } = await w.server.authorize(authorizeUrl, {
    login: person.login ?? 'alice@example.com',
    consent: person.consent ?? true,
  });
  return { id: connection.id, authorizeUrl, callbackUrl };
}

/** The stored row, as the database holds it. */
export function connectionRow(w: OAuthWorld, id: string) {
  return w.t.store.db.selectFrom('connections').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Every event of a connection, oldest first. */
export function eventsOf(w: OAuthWorld, id: string) {
  return w.t.store.db
    .selectFrom('events')
    .selectAll()
    .where('connection_id', '=', id)
    .orderBy('at')
    .orderBy('id')
    .execute();
}

/** The callback URL's path and query, as Hitch receives it. */
export function callbackPath(callbackUrl: string): string {
  const url = new URL(callbackUrl);
  return `${url.pathname}${url.search}`;
}

/** Create + consent + callback: an active connection, as a person would get it. */
export async function connect(
  w: OAuthWorld,
  body: Record<string, unknown> = {},
  person: { login?: string; consent?: true | 'deny' } = {},
): Promise<{ id: string; callbackStatus: number; callbackBody: string }> {
  const created = await w.t.app.inject({
    method: 'POST',
    url: '/api/v1/connections',
    headers: w.headers,
    payload: { app: APP_ID, ...body },
  });
  if (created.statusCode !== 201) throw new Error(`create failed: ${created.statusCode} ${created.body}`);
  const { connection, authorizeUrl } = created.json<{ connection: { id: string }; authorizeUrl: string }>();
  const { callbackUrl } = await w.server.authorize(authorizeUrl, {
    login: person.login ?? 'alice@example.com',
    consent: person.consent ?? true,
  });
  const callback = await w.t.app.inject({ method: 'GET', url: callbackPath(callbackUrl), headers: w.pageHeaders });
  return { id: connection.id, callbackStatus: callback.statusCode, callbackBody: callback.body };
}

export async function getConnection(w: OAuthWorld, id: string) {
  const response = await w.t.app.inject({
    method: 'GET',
    url: `/api/v1/connections/${id}`,
    headers: { cookie: w.cookie },
  });
  return { status: response.statusCode, body: response.json() };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
