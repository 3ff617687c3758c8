import { membershipOf } from '../accounts/teams.ts';
import type { Catalog } from '../catalog/catalog.ts';
import type { Config } from '../config.ts';
import type { Jobs } from '../jobs/types.ts';
import type { Logger } from '../log.ts';
import { createNotify, scheduleNotifyJobs } from '../notify/index.ts';
import type { Notifications } from '../notify/notifications.ts';
import type { Webhooks } from '../notify/webhooks.ts';
import type { Outbound } from '../outbound/types.ts';
import type { Store } from '../store/database.ts';
import { ConnectionsRepository } from '../store/repositories/connections.ts';
import { EventsRepository } from '../store/repositories/events.ts';
import { OAuthFlowsRepository } from '../store/repositories/oauth-flows.ts';
import type { Vault } from '../vault/types.ts';
import { BrowserAuthorization } from './browser-authorization.ts';
import { CallbackHandler } from './callback.ts';
import { ConnectionClient } from './connection-client.ts';
import { CredentialCache } from './credential-cache.ts';
import { CredentialProvider } from './credentials.ts';
import { applyNonExpiringRules } from './non-expiring-tokens.ts';
import { DirectAuthorization } from './direct-authorization.ts';
import { ConnectionEvents } from './events.ts';
import { createKinds, type KindFactory } from './kinds/index.ts';
import { OAuthFlows } from './oauth-flows.ts';
import { noUsage, type ConnectionUsage } from './present.ts';
import { Renewal } from './renewal.ts';
import type { ScenarioScopes } from './request-checks.ts';
import { ConnectionsService } from './service.ts';
import { ConnectionSettings } from './settings.ts';
import { sweepDueConnections } from './sweep.ts';
import { Verifier } from './verify.ts';

export interface Connections {
  service: ConnectionsService;
  callback: CallbackHandler;
  credentials: CredentialProvider;
  renewal: Renewal;
  /** Requests to services through a connection: the proxy and scenario runs use it. */
  client: ConnectionClient;
  repository: ConnectionsRepository;
  /** The audit trail; every event passes here, and on to the team webhook. */
  events: ConnectionEvents;
  eventsRepository: EventsRepository;
  webhooks: Webhooks;
  notifications: Notifications;
  /** Renews what is due now; the jobs runner calls it every HITCH_REFRESH_SWEEP_SECONDS. */
  sweep(signal?: AbortSignal): Promise<{ renewed: number; failed: number }>;
  /** Applies the catalog's `nonExpiringTokens` rules to the connections made before them (hourly). */
  applyNonExpiringRules(): Promise<{ exchanged: number; deadlines: number }>;
}

/**
 * Wires the connection core once, in the order its pieces need each other:
 * kinds and settings → cache → renewal → the token path → verify → the flows
 * people drive. The HTTP routes, the proxy and scenario runs all use these same objects.
 */
export function createConnections(deps: {
  config: Config;
  store: Store;
  vault: Vault;
  outbound: Outbound;
  catalog: Catalog;
  log: Logger;
  usage?: ConnectionUsage;
  /** Scopes a scenario asks of an app: `POST /connections {app, scenarioId}` and reauthorize with a scenario. */
  scenarioScopes?: ScenarioScopes;
  /** Where the platform's OAuth clients are read from, once, now (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** Kinds registered besides the built-in ones, chosen first (tests add a kind this way). */
  kinds?: readonly KindFactory[];
}): Connections {
  const { store, vault, outbound, catalog, log, config } = deps;
  const repository = new ConnectionsRepository(store);
  const eventsRepository = new EventsRepository(store.db);
  const events = new ConnectionEvents(eventsRepository, log);
  const { webhooks, notifications } = createNotify({ config, store, vault, outbound, catalog, events, log });

  const kinds = createKinds({ outbound, network: config.network, platformApps: config.platformApps }, deps.kinds);
  const settings = new ConnectionSettings(catalog, kinds, deps.env ?? process.env);
  const cache = new CredentialCache(config.credentialCacheSize);
  const onChange = (connectionId: string) => cache.drop(connectionId);

  const renewal = new Renewal({ connections: repository, vault, events, log, settings, outbound, onChange });
  const credentials = new CredentialProvider({ connections: repository, vault, renewal, settings, cache });
  const verifier = new Verifier({ outbound, credentials, connections: repository, events, onChange });
  const direct = new DirectAuthorization({ connections: repository, vault, events, settings, cache });
  const flows = new OAuthFlows(new OAuthFlowsRepository(store.db), vault);
  const redirectUri = `${config.publicUrl}/oauth/callback`;
  const service = new ConnectionsService({
    catalog,
    connections: repository,
    vault,
    browser: new BrowserAuthorization({ flows, redirectUri }),
    settings,
    cache,
    verifier,
    direct,
    events,
    usage: deps.usage ?? noUsage,
    ...(deps.scenarioScopes ? { scenarioScopes: deps.scenarioScopes } : {}),
    log,
  });
  const roleIn = async (userId: string, teamId: string) => (await membershipOf(store, userId, teamId))?.role;
  const callback = new CallbackHandler({
    flows,
    connections: repository,
    settings,
    outbound,
    vault,
    cache,
    events,
    log,
    redirectUri,
    roleIn,
  });
  const client = new ConnectionClient({ credentials, outbound, events });

  return {
    service,
    callback,
    credentials,
    renewal,
    client,
    repository,
    events,
    eventsRepository,
    webhooks,
    notifications,
    sweep: (signal) => sweepDueConnections({ connections: repository, renewal, log }, signal),
    applyNonExpiringRules: () =>
      applyNonExpiringRules({ catalog, connections: repository, settings, vault, events, log, onChange }),
  };
}

/** Registers the connection jobs: the renewal sweep, the removal of abandoned pending connections, notifications and webhook deliveries. */
export function scheduleConnectionJobs(jobs: Jobs, connections: Connections, config: Config): void {
  jobs.every('connections.refresh-sweep', config.refreshSweepSeconds * 1000, async (_payload, { signal }) => {
    await connections.sweep(signal);
  });
  jobs.every('connections.non-expiring-tokens', 60 * 60_000, async () => {
    await connections.applyNonExpiringRules();
  });
  jobs.every('connections.remove-stale-pending', 60 * 60_000, async () => {
    await connections.service.removeStalePending();
  });
  scheduleNotifyJobs(jobs, connections);
}
