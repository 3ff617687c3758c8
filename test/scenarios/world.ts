import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import type { UserWithTeams } from '../../src/accounts/types.ts';
import { loadCatalog } from '../../src/catalog/catalog.ts';
import type { AppInput } from '../../src/catalog/schema.ts';
import { loadConfig } from '../../src/config.ts';
import { createConnections, type Connections } from '../../src/connections/index.ts';
import { createHttpServices } from '../../src/http/services.ts';
import { buildHttpApp } from '../../src/http/app.ts';
import { createInProcessJobs } from '../../src/jobs/in-process.ts';
import type { Jobs } from '../../src/jobs/types.ts';
import { createLogger, type Logger } from '../../src/log.ts';
import { createOutbound } from '../../src/outbound/client.ts';
import {
  createScenarioLinks,
  createScenarios,
  scheduleScenarioJobs,
  type Scenarios,
} from '../../src/scenarios/index.ts';
import { createVault } from '../../src/vault/vault.ts';
import { APP_ID, callbackPath, startSharedOAuthServer, testApp } from '../connections/harness.ts';
import { browser, login, newUser, PUBLIC_URL } from '../http/app.ts';
import type { Json } from '../helpers/json.ts';
import type { TestStore } from '../helpers/store.ts';
import type { OAuthServer } from '../peers/oauth-server.ts';
import { startResourceServer, type Peer } from './peers.ts';

/** One Hitch "process": its own vault, outbound client, jobs and HTTP app over the shared store. */
export interface Instance {
  app: FastifyInstance;
  connections: Connections;
  scenarios: Scenarios;
  jobs: Jobs;
  close(): Promise<void>;
}

export interface ScenarioWorld {
  store: TestStore;
  /** The instance tests talk to; `restart` replaces it. */
  hitch: Instance;
  server: OAuthServer;
  user: UserWithTeams;
  teamId: string;
  cookie: string;
  headers: Record<string, string>;
  api(
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    url: string,
    payload?: unknown,
    headers?: Record<string, string>,
  ): Promise<{ status: number; body: Json }>;
  /** Stops this instance and starts another on the same store and master key, jobs running. */
  restart(options?: { jobs?: boolean; scheduleSweepMs?: number }): Promise<Instance>;
  /** Another instance beside this one, as a second server process would be; closed with the world. */
  spawn(options?: { jobs?: boolean; scheduleSweepMs?: number }): Promise<Instance>;
  close(): Promise<void>;
}

/** The test IdP app with modules that need scopes, its API behind `resourceOrigin`. */
export function scopedApp(server: OAuthServer, resourceOrigin: string): AppInput {
  const base = testApp(server, { baseUrl: resourceOrigin });
  return {
    ...base,
    modules: [
      {
        id: 'read-notes',
        name: 'List notes',
        scopes: ['read'],
        inputs: [],
        request: { method: 'GET', url: '/notes', output: 'items' },
      },
      {
        id: 'write-note',
        name: 'Write a note',
        scopes: ['write'],
        inputs: [
          { name: 'title', label: 'Title', type: 'text', required: true },
          { name: 'after', label: 'After', type: 'text', required: false },
        ],
        request: {
          method: 'POST',
          url: '/notes/{{title}}',
          query: { after: '{{after}}' },
          body: { title: '{{title}}' },
        },
      },
    ],
  };
}

export async function openScenarioWorld(
  open: () => Promise<TestStore>,
  options: { server: OAuthServer; app: AppInput; log?: Logger; env?: Record<string, string> },
): Promise<ScenarioWorld> {
  const store = await open();
  const appsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hitch-apps-'));
  fs.writeFileSync(path.join(appsDir, `${APP_ID}.json`), JSON.stringify(options.app));
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hitch-data-'));
  const masterKey = randomBytes(32);
  const client = options.server.client('client_secret_post');
  const env = {
    PUBLIC_URL,
    DATA_DIR: dataDir,
    HITCH_MASTER_KEY: masterKey.toString('base64'),
    HITCH_APPS_DIR: appsDir,
    HITCH_ALLOW_PRIVATE_NETWORK: 'true',
    HITCH_APP_TESTIDP_CLIENT_ID: client.clientId,
    HITCH_APP_TESTIDP_CLIENT_SECRET: client.clientSecret,
    ...options.env,
  };
  const config = loadConfig(env);
  const log = options.log ?? createLogger('silent');

  async function start(run: { jobs?: boolean; scheduleSweepMs?: number } = {}): Promise<Instance> {
    const vault = await createVault({ store, masterKey, reloadIntervalMs: 0 });
    const outbound = createOutbound({ network: config.network, log });
    const catalog = loadCatalog({ appsDir: config.appsDir });
    const links = createScenarioLinks({ store, catalog });
    const connections = createConnections({
      config,
      store,
      vault,
      outbound,
      catalog,
      log,
      env: { ...process.env, ...env },
      usage: links.usage,
      scenarioScopes: links.scopes,
    });
    const scenarios = createScenarios({ config, store, vault, outbound, catalog, log, connections, links });
    const jobs = createInProcessJobs({ log });
    scheduleScenarioJobs(jobs, scenarios, { sweepMs: run.scheduleSweepMs ?? 50 });
    if (run.jobs) await jobs.start();
    const app = buildHttpApp(createHttpServices({ config, store, log, catalog, connections, scenarios }));
    return {
      app,
      connections,
      scenarios,
      jobs,
      async close() {
        await app.close();
        await jobs.stop();
        await outbound.close();
        vault.close();
      },
    };
  }

  let hitch = await start();
  const spawned: Instance[] = [];
  const user = await newUser({ store } as never, { team: { name: 'Ops' } });
  const cookie = await login(hitch.app, user.user.email);
  const headers = browser(cookie);
  const world: ScenarioWorld = {
    store,
    hitch,
    server: options.server,
    user,
    teamId: user.teams[0]!.id,
    cookie,
    headers,
    async api(method, url, payload, extra) {
      const response = await world.hitch.app.inject({
        method,
        url,
        headers: extra ?? headers,
        ...(payload === undefined ? {} : { payload: payload as object }),
      });
      return { status: response.statusCode, body: response.body ? (JSON.parse(response.body) as unknown) : null };
    },
    async restart(run = {}) {
      await world.hitch.close();
      hitch = await start(run);
      world.hitch = hitch;
      return hitch;
    },
    async spawn(run = {}) {
      const instance = await start(run);
      spawned.push(instance);
      return instance;
    },
    async close() {
      for (const instance of spawned) await instance.close();
      await world.hitch.close();
      await store.destroy();
      fs.rmSync(appsDir, { recursive: true, force: true });
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return world;
}

/** Create (optionally for a scenario) + consent + callback: an active connection. */
export async function connectFor(
  w: ScenarioWorld,
  body: Record<string, unknown> = {},
  person: { grantScopes?: string[] } = {},
): Promise<{ id: string; requestedScopes: string[] }> {
  const created = await w.api('POST', '/api/v1/connections', { app: APP_ID, ...body });
  if (created.status !== 201) throw new Error(`create failed: ${created.status} ${JSON.stringify(created.body)}`);
  const authorizeUrl = created.body.authorizeUrl as string;
  const { callbackUrl } = await w.server.authorize(authorizeUrl, {
    login: 'alice@example.com',
    consent: true,
    ...(person.grantScopes ? { grantScopes: person.grantScopes } : {}),
  });
  const callback = await w.hitch.app.inject({
    method: 'GET',
    url: callbackPath(callbackUrl),
    headers: { cookie: w.cookie, host: new URL(PUBLIC_URL).host },
  });
  if (callback.statusCode >= 400) throw new Error(`callback failed: ${callback.statusCode}`);
  return {
    id: created.body.connection.id as string,
    requestedScopes: (new URL(authorizeUrl).searchParams.get('scope') ?? '').split(' '),
  };
}

/** Reauthorize + consent + callback. */
export async function reauthorizeFor(w: ScenarioWorld, id: string, body: Record<string, unknown>): Promise<string[]> {
  const started = await w.api('POST', `/api/v1/connections/${id}/reauthorize`, body);
  if (started.status !== 200) throw new Error(`reauthorize failed: ${started.status} ${JSON.stringify(started.body)}`);
  const authorizeUrl = started.body.authorizeUrl as string;
  const { callbackUrl } = await w.server.authorize(authorizeUrl, { login: 'alice@example.com', consent: true });
  const callback = await w.hitch.app.inject({
    method: 'GET',
    url: callbackPath(callbackUrl),
    headers: { cookie: w.cookie, host: new URL(PUBLIC_URL).host },
  });
  if (callback.statusCode >= 400) throw new Error(`callback failed: ${callback.statusCode}`);
  return (new URL(authorizeUrl).searchParams.get('scope') ?? '').split(' ');
}

export { APP_ID };

/** A world over `scopedApp` with its resource server, a scenario of one `read-notes` module and a connection made for it. */
export interface NotesWorld {
  server: OAuthServer;
  resource: Peer;
  w: ScenarioWorld;
  scenarioId: string;
  connectionId: string;
  close(): Promise<void>;
}

export async function openNotesWorld(open: () => Promise<TestStore>, scenarioName: string): Promise<NotesWorld> {
  const server = await startSharedOAuthServer();
  const resource = await startResourceServer(server.userinfoEndpoint);
  const w = await openScenarioWorld(open, { server, app: scopedApp(server, resource.origin) });
  const created = await w.api('POST', '/api/v1/scenarios', {
    name: scenarioName,
    modules: [{ id: 1, app: APP_ID, module: 'read-notes', inputs: {} }],
  });
  const scenarioId = created.body.id as string;
  const connectionId = (await connectFor(w, { scenarioId })).id;
  return {
    server,
    resource,
    w,
    scenarioId,
    connectionId,
    async close() {
      await w.close();
      await resource.close();
      await server.close();
    },
  };
}

/** A team mate of the world's owner, signed in. */
export interface TeamMate {
  id: string;
  cookie: string;
  headers: Record<string, string>;
}

export type TeamMates = Record<'admin' | 'member' | 'other', TeamMate>;

/** Three signed-in team mates of the owner: an admin and two plain members, for the change-rights tests. */
export async function teamMates(w: ScenarioWorld): Promise<TeamMates> {
  const mates: Partial<TeamMates> = {};
  for (const [label, role] of [
    ['admin', 'admin'],
    ['member', 'member'],
    ['other', 'member'],
  ] as const) {
    const user = await newUser({ store: w.store } as never, { team: { id: w.teamId, role } });
    const cookie = await login(w.hitch.app, user.user.email);
    mates[label] = { id: user.user.id, cookie, headers: browser(cookie) };
  }
  return mates as TeamMates;
}

/** A change refused for want of the right: 403 `forbidden` with one clear sentence that says `mentions`. */
export function expectForbidden(res: { status: number; body: Json }, mentions: RegExp): void {
  expect(res.status, JSON.stringify(res.body)).toBe(403);
  expect(res.body.error.code).toBe('forbidden');
  // One clear sentence, not the generic default.
  expect(res.body.error.message).toMatch(/^[A-Z].{20,}\.$/);
  expect(res.body.error.message).toMatch(mentions);
}
