import type { Catalog } from '../catalog/catalog.ts';
import type { Config } from '../config.ts';
import type { ConnectionEvents } from '../connections/events.ts';
import type { Jobs } from '../jobs/types.ts';
import type { Logger } from '../log.ts';
import type { Outbound } from '../outbound/types.ts';
import type { Store } from '../store/database.ts';
import { NoticesRepository } from '../store/repositories/notices.ts';
import { WebhooksRepository } from '../store/repositories/webhooks.ts';
import type { Vault } from '../vault/types.ts';
import { createMailer } from './mailer.ts';
import { Notifications } from './notifications.ts';
import { Webhooks } from './webhooks.ts';

/** What listens to the connection core's audit trail: the team webhook, notices and their e-mails. */
export interface Notify {
  webhooks: Webhooks;
  notifications: Notifications;
}

/** How often connections needing attention are looked for (renew-by warnings, e-mails). */
export const NOTIFY_SWEEP_MS = 5 * 60_000;

/**
 * Wires the event consumers and subscribes them to the events. They only read
 * the trail: nothing in the connection core waits on them or knows of them.
 */
export function createNotify(deps: {
  config: Config;
  store: Store;
  vault: Vault;
  outbound: Outbound;
  catalog: Catalog;
  events: ConnectionEvents;
  log: Logger;
}): Notify {
  const { config, store, vault, outbound, catalog, events, log } = deps;
  const webhooks = new Webhooks({
    repository: new WebhooksRepository(store.db),
    invalidations: store.invalidations,
    vault,
    outbound,
    network: config.network,
    log,
  });
  // The one place events become webhook deliveries.
  events.subscribe((event) => webhooks.dispatch(event));
  const mailer = createMailer(config.smtpUrl, config.publicUrl);
  const notifications = new Notifications({
    notices: new NoticesRepository(store.db),
    catalog,
    events,
    mailer,
    log,
    publicUrl: config.publicUrl,
    renewByWarningDays: config.renewByWarningDays,
  });
  return { webhooks, notifications };
}

/** Registers the notices sweep and the webhook deliveries. */
export function scheduleNotifyJobs(jobs: Jobs, notify: Notify): void {
  jobs.every('connections.notify', NOTIFY_SWEEP_MS, async () => {
    await notify.notifications.sweep();
  });
  notify.webhooks.attachJobs(jobs);
}
