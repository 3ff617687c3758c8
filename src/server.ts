import type { FastifyInstance } from 'fastify';
import { ensureFirstAdmin, type FirstAdmin } from './accounts/bootstrap.ts';
import { loadCatalog } from './catalog/catalog.ts';
import { ConfigError, type Config } from './config.ts';
import { armCrashPoint } from './dangerous-crash.ts';
import { createConnections, scheduleConnectionJobs } from './connections/index.ts';
import { createScenarioLinks, createScenarios, scheduleScenarioJobs } from './scenarios/index.ts';
import { buildHttpApp } from './http/app.ts';
import { createHttpServices, type HttpServices } from './http/services.ts';
import { registerCleanup } from './jobs/cleanup.ts';
import { createJobs, startJobs } from './jobs/create.ts';
import { createLogger, type Logger } from './log.ts';
import { appLabeller } from './metrics/app-hosts.ts';
import { instrumentOutbound } from './metrics/outbound.ts';
import { countRefreshes } from './metrics/refreshes.ts';
import { createMetrics } from './metrics/registry.ts';
import { openDatabase } from './open-database.ts';
import { createOutbound } from './outbound/client.ts';
import { ConnectionsRepository } from './store/repositories/connections.ts';
import type { Jobs } from './jobs/types.ts';
import type { Outbound } from './outbound/types.ts';
import type { Store } from './store/database.ts';
import type { Vault } from './vault/types.ts';
import { openVault } from './vault/vault.ts';

export interface StartOptions {
  log?: Logger;
  /** Where the sign-in instructions go: people read them, so not into the JSON log. Default stdout. */
  out?: NodeJS.WritableStream;
}

/** Everything wired at start-up: the routes' services, and beneath them what only wiring, jobs and the CLI touch. */
export type HitchServices = HttpServices & { store: Store; vault: Vault; outbound: Outbound; jobs: Jobs };

export interface RunningHitch {
  /** The HTTP app, listening; null when HITCH_ROLE=worker. */
  app: FastifyInstance | null;
  services: HitchServices;
  /** Stops taking requests, lets in-flight ones finish, stops jobs, then closes the outbound client, vault and database. */
  close(): Promise<void>;
}

/**
 * Wires Hitch together, in the order data flows: configuration → store →
 * vault → outbound → accounts → jobs → HTTP. Whatever was opened is closed
 * again if a later step fails, so a failed start leaves nothing running.
 */
export async function startHitch(config: Config, options: StartOptions = {}): Promise<RunningHitch> {
  const log = options.log ?? createLogger(config.logLevel);
  armCrashPoint(config.dangerouslyCrashAt);
  const out = options.out ?? process.stdout;
  const closers: Array<() => Promise<void> | void> = [];
  const closeAll = async () => {
    for (const close of closers.reverse()) await close();
    closers.length = 0;
  };

  try {
    // The app files first: a bad one stops the start before anything is opened or created.
    const catalog = loadCatalog({ appsDir: config.appsDir });
    const store = await openDatabase(config);
    closers.push(() => store.close());
    const vault = await openVault(config, store, { log });
    closers.push(() => vault.close());
    const jobs = createJobs(config, log);
    const metrics = createMetrics({
      connectionsByStatus: () => new ConnectionsRepository(store).countByStatus(),
      jobStats: async () => (await jobs.stats?.()) ?? [],
    });
    const outbound = instrumentOutbound(
      createOutbound({ network: config.network, log }),
      metrics,
      appLabeller(catalog),
    );
    closers.push(() => outbound.close());
    const firstAdmin = await ensureFirstAdmin(store, config.admin);

    // Scenarios tell the connection core which of them use a connection and what scopes they need.
    const links = createScenarioLinks({ store, catalog });
    const connections = createConnections({
      config,
      store,
      vault,
      outbound,
      catalog,
      log,
      usage: links.usage,
      scenarioScopes: links.scopes,
    });
    const scenarios = createScenarios({ config, store, vault, outbound, catalog, log, connections, links });
    countRefreshes(connections.events, metrics);

    registerCleanup(jobs, store);
    scheduleConnectionJobs(jobs, connections, config);
    scheduleScenarioJobs(jobs, scenarios);
    closers.push(() => jobs.stop());
    await startJobs(jobs, config);

    const httpServices = createHttpServices({ config, store, log, catalog, connections, scenarios });
    const services: HitchServices = { ...httpServices, store, vault, outbound, jobs };
    let app: FastifyInstance | null = null;
    if (config.role !== 'worker') {
      const http = buildHttpApp(httpServices, { metrics });
      closers.push(() => http.close());
      await listen(http, config);
      app = http;
    }

    out.write(welcome(config, firstAdmin));
    log.info({ role: config.role, publicUrl: config.publicUrl, database: config.database.kind }, 'Hitch started');
    return { app, services, close: closeAll };
  } catch (error) {
    await closeAll().catch((closeError: unknown) =>
      log.warn({ err: closeError }, 'clean-up after a failed start failed'),
    );
    throw error;
  }
}

async function listen(app: FastifyInstance, config: Config): Promise<void> {
  try {
    await app.listen({ host: config.host, port: config.port });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE')
      throw new ConfigError(
        'PORT',
        `${config.host}:${config.port} is already in use by another program: stop it, or choose another PORT`,
      );
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND')
      throw new ConfigError('HOST', `${config.host} is not an address of this machine`);
    if (code === 'EACCES')
      throw new ConfigError('PORT', `${config.port} needs more privileges than Hitch has: choose a PORT above 1023`);
    throw error;
  }
}

function welcome(config: Config, firstAdmin: FirstAdmin | null): string {
  const lines =
    config.role === 'worker'
      ? ['Hitch is running background jobs (HITCH_ROLE=worker).']
      : [`Hitch is listening on ${config.publicUrl}`];
  if (firstAdmin?.generatedPassword) {
    lines.push(
      `Sign in as ${firstAdmin.email} with the password ${firstAdmin.generatedPassword}`,
      'This password is shown only once: change it after signing in, or set HITCH_ADMIN_EMAIL and HITCH_ADMIN_PASSWORD before the first start.',
    );
  } else if (firstAdmin) {
    lines.push(`Sign in as ${firstAdmin.email} with the password in HITCH_ADMIN_PASSWORD.`);
  } else if (config.role !== 'worker') {
    lines.push(
      'Sign in with your account; an administrator adds people with: npm run hitch -- create-user --email <email> --password <password>',
    );
  }
  return `${lines.join('\n')}\n`;
}
