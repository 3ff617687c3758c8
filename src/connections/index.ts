import { membershipOf } from '../accounts/teams.ts';
import type { Catalog } from '../catalog/catalog.ts';
import type { Config } from '../config.ts';
import type { Jobs } from '../jobs/types.ts';
import type { Logger } from '../log.ts';
import type { Outbound } from '../outbound/types.ts';
import type { Store } from '../store/database.ts';
import { ConnectionsRepository } from '../store/repositories/connections.ts';
import { EventsRepository } from '../store/repositories/events.ts';
import { OAuthFlowsRepository } from '../store/repositories/oauth-flows.ts';
import type { Vault } from '../vault/types.ts';
import { CallbackHandler } from './callback.ts';
import { ConnectionClient } from './connection-client.ts';
import { CredentialProvider } from './credentials.ts';
import { ConnectionEvents } from './events.ts';
import { createOAuth2Protocol, oauth2Renewer } from './oauth2.ts';
import type { ConnectionSecrets } from './model.ts';
import { OAuthFlows } from './oauth-flows.ts';
import { noUsage, type ConnectionUsage } from './present.ts';
import { Renewal } from './renewal.ts';
import { ConnectionsService, type ScenarioScopes } from './service.ts';
import { sweepDueConnections } from './sweep.ts';
import { Verifier } from './verify.ts';
import { clientCredentialsRenewer, usesClientCredentials } from './client-credentials.ts';
import { DirectAuthorization } from './direct-authorization.ts';
import { createMailer } from './mailer.ts';
import { Notifications } from './notifications.ts';
import { placerByKind } from './placers.ts';
import { Webhooks } from './webhooks/webhooks.ts';
import { NoticesRepository } from '../store/repositories/notices.ts';
import { WebhooksRepository } from '../store/repositories/webhooks.ts';

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
}

/** Wires the connection core once; the HTTP routes, the proxy and scenario runs all use these same objects. */
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
  env?: NodeJS.ProcessEnv;
}): Connections {
  const { store, vault, outbound, catalog, log, config } = deps;
  const repository = new ConnectionsRepository(store.db, store.point);
  const eventsRepository = new EventsRepository(store.db);
  const events = new ConnectionEvents(eventsRepository, log);
  const webhooks = new Webhooks({ repository: new WebhooksRepository(store.db), vault, outbound, network: config.network, log });
  // The one place events become webhook deliveries.
  events.subscribe((event) => webhooks.dispatch(event));
  const notifications = new Notifications({ notices: new NoticesRepository(store.db), catalog, events, mailer: createMailer(config.smtpUrl, config.publicUrl), log, publicUrl: config.publicUrl });
  const flows = new OAuthFlows(new OAuthFlowsRepository(store.db), vault);
  const oauth2 = createOAuth2Protocol({ outbound, network: config.network });
  const redirectUri = `${config.publicUrl}/oauth/callback`;

  // The service and the token path need each other's pieces; they meet through these late-bound references.
  let service: ConnectionsService;
  const settingsOf = (row: Parameters<ConnectionsService['settingsOf']>[0], secrets?: ConnectionSecrets) => service.settingsOf(row, undefined, secrets);
  let credentials: CredentialProvider;
  const onChange = (connectionId: string) => credentials.cache.drop(connectionId);

  const renewal = new Renewal({
    connections: repository,
    vault,
    events,
    log,
    renewerFor: (row) => (row.auth !== 'oauth2' ? null : usesClientCredentials(catalog, row, deps.env) ? clientCredentialsRenewer(oauth2, settingsOf) : oauth2Renewer(oauth2, settingsOf)),
    onChange,
  });
  credentials = new CredentialProvider({ connections: repository, vault, renewal, placer: placerByKind(catalog, deps.env) }, config.credentialCacheSize);
  let direct: DirectAuthorization;
  const verifyOf = (row: Parameters<ConnectionsService['settingsOf']>[0]) => direct.verifyOf(row, settingsOf);
  const verifier = new Verifier({ outbound, credentials, connections: repository, events, settingsOf: verifyOf, onChange });
  direct = new DirectAuthorization({ catalog, connections: repository, vault, verifier, events, oauth2, credentials, ...(deps.env ? { env: deps.env } : {}) });
  service = new ConnectionsService({ catalog, connections: repository, vault, flows, oauth2, credentials, verifier, direct, events, usage: deps.usage ?? noUsage, ...(deps.scenarioScopes ? { scenarioScopes: deps.scenarioScopes } : {}), log, redirectUri, ...(deps.env ? { env: deps.env } : {}) });
  const roleIn = async (userId: string, teamId: string) => (await membershipOf(store, userId, teamId))?.role;
  const callback = new CallbackHandler({ flows, connections: repository, service, oauth2, verifier, vault, credentials, events, log, redirectUri, roleIn });

  const client = new ConnectionClient({ credentials, outbound });

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
  };
}

/** Registers the connection jobs: the renewal sweep, the removal of abandoned pending connections, notifications and webhook deliveries. */
export function scheduleConnectionJobs(jobs: Jobs, connections: Connections, config: Config): void {
  jobs.every('connections.refresh-sweep', config.refreshSweepSeconds * 1000, async (_payload, { signal }) => {
    await connections.sweep(signal);
  });
  jobs.every('connections.remove-stale-pending', 60 * 60_000, async () => {
    await connections.service.removeStalePending();
  });
  jobs.every('connections.notify', NOTIFY_SWEEP_MS, async () => {
    await connections.notifications.sweep();
  });
  connections.webhooks.attachJobs(jobs);
}

/** How often connections needing attention are looked for (renew-by warnings, e-mails). */
export const NOTIFY_SWEEP_MS = 5 * 60_000;
