import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { loadCatalog } from '../../src/catalog/catalog.ts';
import type { AppInput } from '../../src/catalog/schema.ts';
import { loadConfig } from '../../src/config.ts';
import { createConnections, type Connections } from '../../src/connections/index.ts';
import { createHttpServices } from '../../src/http/services.ts';
import { buildHttpApp } from '../../src/http/app.ts';
import { createInProcessJobs } from '../../src/jobs/in-process.ts';
import { createLogger, type Logger } from '../../src/log.ts';
import { createOutbound } from '../../src/outbound/client.ts';
import { createScenarioLinks, createScenarios, type Scenarios } from '../../src/scenarios/index.ts';
import { createVault } from '../../src/vault/vault.ts';
import type { Json } from '../helpers/json.ts';
import { sqliteTestStore, type TestStore } from '../helpers/store.ts';
import { browser, login, newUser, PUBLIC_URL } from '../http/app.ts';

export { PUBLIC_URL };
export const REDIRECT_URI = `${PUBLIC_URL}/oauth/callback`;

/**
 * Hitch as it starts (config → store → vault → catalog → connections → HTTP),
 * with the test's apps written to HITCH_APPS_DIR, and a signed-in person. Host
 * names ending in `.localhost` resolve to 127.0.0.1, so an app can use a
 * subdomain per account (`http://{{shop}}.localhost:<port>`) against a local server.
 */
export interface CatalogWorld {
  app: FastifyInstance;
  connections: Connections;
  scenarios: Scenarios;
  store: TestStore;
  /** The signed-in person, for API tokens. */
  userId: string;
  headers: Record<string, string>;
  pageHeaders: Record<string, string>;
  close(): Promise<void>;
}

export async function openCatalogWorld(
  options: {
    apps?: AppInput[];
    env?: Record<string, string>;
    open?: () => Promise<TestStore>;
    /** Where log lines go; default: nowhere. */
    log?: Logger;
    /** How modules wait before retrying a rate-limited call; default: really waiting. */
    sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  } = {},
): Promise<CatalogWorld> {
  const store = await (options.open ?? sqliteTestStore)();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hitch-catalog-'));
  const appsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hitch-apps-'));
  for (const app of options.apps ?? []) fs.writeFileSync(path.join(appsDir, `${app.id}.json`), JSON.stringify(app));
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
  const outbound = createOutbound({
    network: config.network,
    log,
    dangerouslyResolveHostsWith: async (host) =>
      host === 'localhost' || host.endsWith('.localhost') ? ['127.0.0.1'] : host === '127.0.0.1' ? ['127.0.0.1'] : [],
  });
  const jobs = createInProcessJobs({ log });
  // Only what the test sets: the machine's own HITCH_APP_* variables must not leak in.
  const catalog = loadCatalog({ appsDir: config.appsDir, env });
  const links = createScenarioLinks({ store, catalog });
  const connections = createConnections({
    config,
    store,
    vault,
    outbound,
    catalog,
    log,
    env,
    usage: links.usage,
    scenarioScopes: links.scopes,
  });
  const scenarios = createScenarios({
    config,
    store,
    vault,
    outbound,
    catalog,
    log,
    connections,
    links,
    ...(options.sleep ? { sleep: options.sleep } : {}),
  });
  const app = buildHttpApp(createHttpServices({ config, store, log, catalog, connections, scenarios }));
  const person = await newUser({ app, connections, store, config, close: async () => {} }, { team: { name: 'Ops' } });
  const cookie = await login(app, person.user.email);
  return {
    app,
    connections,
    scenarios,
    store,
    userId: person.user.id,
    headers: browser(cookie),
    pageHeaders: { cookie, host: new URL(PUBLIC_URL).host },
    async close() {
      await app.close();
      await jobs.stop();
      await outbound.close();
      vault.close();
      await store.destroy();
      fs.rmSync(dataDir, { recursive: true, force: true });
      fs.rmSync(appsDir, { recursive: true, force: true });
    },
  };
}

/** The callback URL's path and query, as Hitch receives it. */
export function callbackPath(callbackUrl: string): string {
  const url = new URL(callbackUrl);
  return `${url.pathname}${url.search}`;
}

/**
 * Saves a one-module scenario (`connectionId` omitted for modules that need none) and runs it on
 * demand; returns the execution as the API shows it.
 */
export async function runOneModule(
  w: CatalogWorld,
  module: { app: string; module: string; connectionId?: string | undefined; inputs?: Record<string, unknown> },
): Promise<Json> {
  const { connectionId, inputs = {}, ...named } = module;
  const scenario = await w.app.inject({
    method: 'POST',
    url: '/api/v1/scenarios',
    headers: w.headers,
    payload: {
      name: `${named.module} ${Math.random()}`,
      modules: [{ id: 1, ...named, ...(connectionId ? { connectionId } : {}), inputs }],
    },
  });
  if (scenario.statusCode !== 201) throw new Error(`scenario: ${scenario.statusCode} ${scenario.body}`);
  const ran = await w.app.inject({
    method: 'POST',
    url: `/api/v1/scenarios/${scenario.json<{ id: string }>().id}/run`,
    headers: w.headers,
    payload: {},
  });
  return ran.json<{ execution: Json }>().execution;
}
