import net from 'node:net';
import type { Config } from '../config.ts';
import { HitchError, invalidField, isHitchError } from '../errors.ts';
import { newId } from '../ids.ts';
import type { Jobs } from '../jobs/types.ts';
import type { Logger } from '../log.ts';
import { createNetworkPolicy, normalizeHost, type NetworkPolicy } from '../outbound/network-policy.ts';
import { resolveAllowed, resolveWithDns, type ResolveHost } from '../outbound/policy-connector.ts';
import type { Outbound } from '../outbound/types.ts';
import type { Invalidations } from '../store/invalidations.ts';
import type { WebhooksRepository } from '../store/repositories/webhooks.ts';
import type { EventRow, WebhookDeliveryRow } from '../store/schema.ts';
import type { Vault } from '../vault/types.ts';
import { SIGNATURE_HEADER, signWebhook } from './webhook-signature.ts';
import { WebhookUrls } from './webhook-urls.ts';

export const DELIVER_JOB = 'webhooks.deliver';
/** Retries after the first attempt, the first after this long, then doubling (jobs' backoff). */
export const DELIVERY_RETRIES = 5;
export const DELIVERY_RETRY_DELAY_MS = 10_000;
const DELIVERY_TIMEOUT_MS = 10_000;
export const WEBHOOK_SECRET_MIN = 16;

export interface WebhookView {
  teamId: string;
  url: string;
  createdAt: string;
  updatedAt: string;
}

export interface DeliveryView {
  id: string;
  eventId: string;
  eventType: string;
  url: string;
  status: WebhookDeliveryRow['status'];
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  createdAt: string;
  updatedAt: string;
  deliveredAt: string | null;
}

/** The JSON each delivery carries: the event as the audit trail shows it, never a secret. */
export function eventPayload(event: EventRow): string {
  return JSON.stringify({
    id: event.id,
    type: event.type,
    at: new Date(event.at).toISOString(),
    actor: event.actor,
    teamId: event.team_id,
    connectionId: event.connection_id,
    message: event.message,
  });
}

function secretContext(teamId: string) {
  return { table: 'team_webhooks', id: teamId, field: 'secret' } as const;
}

const iso = (ms: number) => new Date(ms).toISOString();

function presentDelivery(row: WebhookDeliveryRow): DeliveryView {
  return {
    id: row.id,
    eventId: row.event_id,
    eventType: row.event_type,
    url: row.url,
    status: row.status,
    attempts: row.attempts,
    lastStatusCode: row.last_status_code,
    lastError: row.last_error,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
    deliveredAt: row.delivered_at === null ? null : iso(row.delivered_at),
  };
}

/**
 * A team's webhook: every event of the team is POSTed to its URL, signed with
 * its secret (kept in the vault). Deliveries are rows first, then jobs, so each
 * outcome can be shown; failed attempts retry with backoff through Jobs.
 */
export class Webhooks {
  private jobs: Jobs | null = null;
  private readonly policy: NetworkPolicy;
  private retries = DELIVERY_RETRIES;
  private readonly urls: WebhookUrls;

  constructor(
    private readonly deps: {
      repository: WebhooksRepository;
      /** Drops every instance's cached webhook URL of a team when its webhook changes. */
      invalidations: Invalidations;
      vault: Vault;
      outbound: Outbound;
      network: Config['network'];
      log: Logger;
      /** Tests point names at loopback; production resolves with DNS. */
      resolve?: ResolveHost;
    },
  ) {
    this.policy = createNetworkPolicy(deps.network);
    this.urls = new WebhookUrls(
      deps.invalidations,
      async (teamId) => (await deps.repository.ofTeam(teamId))?.url ?? null,
    );
  }

  /** Deliveries need a job runner; until one is attached, events are not sent anywhere. */
  attachJobs(jobs: Jobs, options: { retries?: number; retryDelayMs?: number } = {}): void {
    this.jobs = jobs;
    this.retries = options.retries ?? DELIVERY_RETRIES;
    jobs.handle<{ deliveryId: string }>(DELIVER_JOB, (payload) => this.deliver(payload.deliveryId), {
      retryLimit: this.retries,
      retryDelayMs: options.retryDelayMs ?? DELIVERY_RETRY_DELAY_MS,
    });
  }

  async get(teamId: string): Promise<WebhookView> {
    const row = await this.deps.repository.ofTeam(teamId);
    if (!row) throw new HitchError('webhook_not_found');
    return { teamId, url: row.url, createdAt: iso(row.created_at), updatedAt: iso(row.updated_at) };
  }

  async set(teamId: string, userId: string, input: { url: string; secret: string }): Promise<WebhookView> {
    const url = await this.checkUrl(input.url);
    if (typeof input.secret !== 'string' || input.secret.length < WEBHOOK_SECRET_MIN) {
      throw invalidField(
        'secret',
        `The secret must be at least ${WEBHOOK_SECRET_MIN} characters long, so signatures cannot be guessed.`,
      );
    }
    const now = Date.now();
    const existing = await this.deps.repository.ofTeam(teamId);
    await this.deps.repository.upsert({
      team_id: teamId,
      url,
      secret_enc: this.deps.vault.encrypt(input.secret, secretContext(teamId)),
      created_by: existing?.created_by ?? userId,
      created_at: existing?.created_at ?? now,
      updated_at: now,
    });
    await this.urls.changed(teamId);
    return this.get(teamId);
  }

  async remove(teamId: string): Promise<void> {
    if (!(await this.deps.repository.remove(teamId))) throw new HitchError('webhook_not_found');
    await this.urls.changed(teamId);
  }

  async deliveries(
    teamId: string,
    page: { cursor?: string; limit: number },
  ): Promise<{ items: DeliveryView[]; nextCursor: string | null }> {
    const rows = await this.deps.repository.deliveries(teamId, {
      ...(page.cursor ? { before: page.cursor } : {}),
      limit: page.limit + 1,
    });
    const items = rows.slice(0, page.limit);
    return {
      items: items.map(presentDelivery),
      nextCursor: rows.length > page.limit ? items[items.length - 1]!.id : null,
    };
  }

  /** The event listener: one delivery row and one job per event of a team that has a webhook. */
  async dispatch(event: EventRow): Promise<void> {
    if (!this.jobs) return;
    const url = await this.urls.of(event.team_id);
    if (url === null) return;
    const now = Date.now();
    const id = newId(now);
    await this.deps.repository.insertDelivery({
      id,
      team_id: event.team_id,
      event_id: event.id,
      event_type: event.type,
      url,
      payload: eventPayload(event),
      status: 'pending',
      attempts: 0,
      last_status_code: null,
      last_error: null,
      created_at: now,
      updated_at: now,
      delivered_at: null,
    });
    await this.jobs.enqueue(DELIVER_JOB, { deliveryId: id });
  }

  /** One attempt. Throws to have Jobs retry it; records the outcome either way. */
  async deliver(deliveryId: string): Promise<void> {
    const { repository, vault, outbound } = this.deps;
    const delivery = await repository.delivery(deliveryId);
    if (!delivery || delivery.status !== 'pending') return;
    const attempts = delivery.attempts + 1;
    const hook = await repository.ofTeam(delivery.team_id);
    if (!hook) {
      await repository.updateDelivery(deliveryId, {
        status: 'failed',
        attempts,
        last_error: 'The webhook was removed before this event could be delivered.',
        updated_at: Date.now(),
      });
      return;
    }
    const secret = await vault.decrypt(hook.secret_enc, secretContext(hook.team_id));
    const t = Math.floor(Date.now() / 1000);
    let statusCode: number | null = null;
    let problem: string | null = null;
    try {
      const response = await outbound.stream({
        url: hook.url,
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'hitch-event': delivery.event_type,
          'hitch-delivery': delivery.id,
        },
        body: delivery.payload,
        // The signature proves the sender to this receiver only: a credential like any other.
        credentials: [{ in: 'header', name: SIGNATURE_HEADER, value: signWebhook(secret, delivery.payload, t) }],
        timeoutMs: DELIVERY_TIMEOUT_MS,
        // A receiver that moved is told so by the failed delivery; the event is not sent where its answer points.
        maxRedirects: 0,
      });
      // Only the status matters; the receiver's body is not read.
      response.body.destroy();
      statusCode = response.status;
      if (response.status < 200 || response.status >= 300) problem = `The receiver answered HTTP ${response.status}.`;
    } catch (error) {
      problem = isHitchError(error) ? error.message : 'The receiver could not be reached.';
      if (!isHitchError(error)) this.deps.log.warn({ err: error, deliveryId }, 'webhook delivery failed');
    }
    const now = Date.now();
    if (problem === null) {
      await repository.updateDelivery(deliveryId, {
        status: 'delivered',
        attempts,
        last_status_code: statusCode,
        last_error: null,
        updated_at: now,
        delivered_at: now,
      });
      return;
    }
    const final = attempts > this.retries;
    await repository.updateDelivery(deliveryId, {
      status: final ? 'failed' : 'pending',
      attempts,
      last_status_code: statusCode,
      last_error: problem,
      updated_at: now,
    });
    if (!final) throw new Error(`webhook delivery ${deliveryId} failed: ${problem}`);
  }

  /** An http(s) URL without credentials whose host the outbound network policy allows. */
  private async checkUrl(raw: unknown): Promise<string> {
    let url: URL;
    try {
      url = new URL(String(raw));
    } catch {
      throw invalidField('url', 'The webhook URL must be a full URL such as https://example.com/hitch-events.');
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:')
      throw invalidField('url', 'The webhook URL must start with https:// or http://.');
    if (url.username || url.password)
      throw invalidField(
        'url',
        'The webhook URL must not carry a user name or password; the signature proves the sender.',
      );
    const host = normalizeHost(url.hostname);
    try {
      if (net.isIP(host)) this.policy.assertAllowed(host, host);
      else if (!this.policy.allowsAnyAddress(host))
        await resolveAllowed(this.policy, this.deps.resolve ?? resolveWithDns, host);
    } catch (error) {
      if (isHitchError(error)) throw new HitchError(error.code, { message: error.message, details: { field: 'url' } });
      throw invalidField('url', `Hitch could not find ${host} in DNS: check the webhook URL.`);
    }
    return url.href;
  }
}
