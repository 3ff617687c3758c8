import type { Catalog } from '../catalog/catalog.ts';
import type { Config } from '../config.ts';
import type { Connections } from '../connections/index.ts';
import type { Jobs } from '../jobs/types.ts';
import { KeysRepository } from '../store/repositories/keys.ts';
import { KeysService } from '../keys/service.ts';
import type { Logger } from '../log.ts';
import type { Outbound } from '../outbound/types.ts';
import type { Store } from '../store/database.ts';
import { EventsRepository } from '../store/repositories/events.ts';
import type { Vault } from '../vault/types.ts';
import { Audit } from './audit.ts';
import type { ScenarioLinks } from './links.ts';
import type { Sleep } from './modules/rate-limit.ts';
import { Runner } from './runner.ts';
import { runDueScenarios } from './schedule.ts';
import { ScenariosService } from './service.ts';

export { createScenarioLinks, type ScenarioLinks } from './links.ts';

export interface Scenarios {
  service: ScenariosService;
  /** The outbound client the modules send with (the MCP server's tools run them too). */
  outbound: Outbound;
  keys: KeysService;
  runner: Runner;
  links: ScenarioLinks;
  /** Runs what the schedule says is due now; the jobs runner calls it every `SCHEDULE_SWEEP_MS`. */
  runDue(signal?: AbortSignal): Promise<number>;
  /** Deletes executions older than HITCH_RETENTION_DAYS. */
  removeOldExecutions(now?: number): Promise<number>;
}

/** How often the schedule is looked at: a scenario's interval is in minutes, so a few seconds' lateness is fine. */
export const SCHEDULE_SWEEP_MS = 15_000;
const RETENTION_SWEEP_MS = 60 * 60_000;
const DAY_MS = 24 * 60 * 60_000;

/** Wires scenarios and the keychain over the connection core (whose usage and scopes come from `links`). */
export function createScenarios(deps: {
  config: Config;
  store: Store;
  vault: Vault;
  outbound: Outbound;
  catalog: Catalog;
  log: Logger;
  connections: Connections;
  links: ScenarioLinks;
  /** How modules wait before retrying a rate-limited call; tests pass one that records instead of waiting. */
  sleep?: Sleep;
}): Scenarios {
  const { store, vault, outbound, catalog, log, connections, links, config } = deps;
  const audit = new Audit(new EventsRepository(store.db));
  const keys = new KeysService({ keys: new KeysRepository(store.db), uses: links.uses, vault, audit });
  const runner = new Runner({
    scenarios: links.repository,
    connections: connections.repository,
    client: connections.client,
    outbound,
    keys,
    registry: links.registry,
    catalog,
    audit,
    log: log.child({ component: 'scenarios' }),
    ...(deps.sleep ? { sleep: deps.sleep } : {}),
  });
  const service = new ScenariosService({
    scenarios: links.repository,
    connections: connections.repository,
    registry: links.registry,
    catalog,
    runner,
    audit,
    lookups: {
      registry: links.registry,
      connection: async (teamId, id) => {
        const row = await connections.repository.byIdInTeams(id, [teamId]);
        return row ? { app: row.app, name: row.name } : undefined;
      },
      key: (teamId, id) => keys.describe(teamId, id),
    },
  });
  return {
    service,
    outbound,
    keys,
    runner,
    links,
    runDue: (signal) => runDueScenarios({ scenarios: links.repository, runner, log }, signal),
    removeOldExecutions: (now = Date.now()) =>
      links.repository.deleteExecutionsOlderThan(now - config.retentionDays * DAY_MS),
  };
}

/** Registers the scenario jobs: scheduled runs and the retention of executions. */
export function scheduleScenarioJobs(jobs: Jobs, scenarios: Scenarios, options: { sweepMs?: number } = {}): void {
  jobs.every('scenarios.run-due', options.sweepMs ?? SCHEDULE_SWEEP_MS, async (_payload, { signal }) => {
    await scenarios.runDue(signal);
  });
  jobs.every('scenarios.remove-old-executions', RETENTION_SWEEP_MS, async () => {
    await scenarios.removeOldExecutions();
  });
}
