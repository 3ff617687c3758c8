/**
 * The hardening tests' world: the real HTTP app over a real store, with the
 * outbound client's deadline shortened (so a hung service costs a second, not
 * fifteen), an app in HITCH_APPS_DIR pointed at oidc-provider — optionally
 * through a faulty service — and a signed-in user. Shaped like
 * test/connections/harness.ts's OAuthWorld so its helpers (connect, startFlow…) apply.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadCatalog } from '../../src/catalog/catalog.ts';
import { loadConfig } from '../../src/config.ts';
import { createConnections } from '../../src/connections/index.ts';
import { secretContext, type ConnectionSecrets } from '../../src/connections/model.ts';
import { createHttpServices } from '../../src/http/services.ts';
import { buildHttpApp, type HttpAppOptions } from '../../src/http/app.ts';
import { createInProcessJobs } from '../../src/jobs/in-process.ts';
import { createLogger, type Logger } from '../../src/log.ts';
import { createOutbound } from '../../src/outbound/client.ts';
import type { ResolveHost } from '../../src/outbound/policy-connector.ts';
import { createScenarioLinks, createScenarios } from '../../src/scenarios/index.ts';
import { createVault } from '../../src/vault/vault.ts';
import type { Vault } from '../../src/vault/types.ts';
import { APP_ID, testApp, type HitchTestApp, type OAuthWorld } from '../connections/harness.ts';
import type { TestStore } from '../helpers/store.ts';
import { browser, login, newUser, PUBLIC_URL } from '../http/app.ts';
import type { OAuthServer } from '../peers/oauth-server.ts';

export const OUTBOUND_TIMEOUT_MS = 1_000;

export interface HardenedWorld extends OAuthWorld {
  vault: Vault;
  /** The connection's secrets as stored, decrypted (or null when none are stored). */
  secretsOf(id: string): Promise<ConnectionSecrets | null>;
}

export async function openHardenedWorld(
  open: () => Promise<TestStore>,
  server: OAuthServer,
  options: {
    appOverrides?: Record<string, unknown>;
    env?: Record<string, string>;
    log?: Logger;
    http?: HttpAppOptions;
    outboundTimeoutMs?: number;
    resolveHostsWith?: ResolveHost;
    beforeReady?: (app: HitchTestApp['app']) => void;
  } = {},
): Promise<HardenedWorld> {
  const appsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hitch-apps-'));
  fs.writeFileSync(path.join(appsDir, `${APP_ID}.json`), JSON.stringify(testApp(server, options.appOverrides)));
  const client = server.client('client_secret_post');
  const env = {
    HITCH_APPS_DIR: appsDir,
    HITCH_ALLOW_PRIVATE_NETWORK: 'true',
    HITCH_APP_TESTIDP_CLIENT_ID: client.clientId,
    HITCH_APP_TESTIDP_CLIENT_SECRET: client.clientSecret,
    ...options.env,
  };
  const log = options.log ?? createLogger('silent');
  const store = await open();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hitch-http-'));
  const masterKey = randomBytes(32);
  const config = loadConfig({ PUBLIC_URL, DATA_DIR: dataDir, HITCH_MASTER_KEY: masterKey.toString('base64'), ...env });
  const vault = await createVault({ store, masterKey, reloadIntervalMs: 0 });
  const outbound = createOutbound({
    network: config.network,
    log,
    defaultTimeoutMs: options.outboundTimeoutMs ?? OUTBOUND_TIMEOUT_MS,
    ...(options.resolveHostsWith ? { dangerouslyResolveHostsWith: options.resolveHostsWith } : {}),
  });
  const catalog = loadCatalog({ appsDir: config.appsDir });
  // Wired as src/server.ts wires them, so the scenario, module and key routes are live too.
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
  const app = buildHttpApp(createHttpServices({ config, store, log, catalog, connections, scenarios }), options.http);
  options.beforeReady?.(app);
  const t: HitchTestApp = {
    app,
    connections,
    store,
    config,
    vault,
    spawn: () => Promise.reject(new Error('not used by the hardening tests')),
    async close() {
      await app.close();
      await jobs.stop();
      await outbound.close();
      vault.close();
      await store.destroy();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
  const user = await newUser(t, { team: { name: 'Ops' } });
  const cookie = await login(app, user.user.email);
  return {
    t,
    server,
    vault,
    user,
    teamId: user.teams[0]!.id,
    cookie,
    headers: browser(cookie),
    pageHeaders: { cookie, host: new URL(PUBLIC_URL).host },
    appsDir,
    async secretsOf(id) {
      const row = await store.db
        .selectFrom('connections')
        .select(['secrets_enc'])
        .where('id', '=', id)
        .executeTakeFirst();
      return row?.secrets_enc ? vault.decryptJson<ConnectionSecrets>(row.secrets_enc, secretContext(id)) : null;
    },
    async close() {
      await t.close();
      fs.rmSync(appsDir, { recursive: true, force: true });
    },
  };
}

/** A message a person can act on: a sentence, not a stack trace, a code dump or an object. */
export function isHumane(message: unknown): boolean {
  return (
    typeof message === 'string' &&
    message.length >= 15 &&
    message.length <= 500 &&
    /[.!?:)]$/.test(message.trim()) &&
    !/\bat .+:\d+:\d+|\[object |undefined|TypeError|ECONN|UND_ERR|<script|<html/i.test(message)
  );
}
