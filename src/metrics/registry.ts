import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import type { QueueStats } from '../jobs/types.ts';
import { PlainCounter, PlainHistogram } from './plain-metrics.ts';

/**
 * Hitch's Prometheus metrics, in a registry of their own (not prom-client's
 * global one), so several apps in one test process do not collide.
 *
 * Counters are per process, as Prometheus expects (it sums instances); gauges
 * read from the database (connections by status, job backlog) describe the
 * whole cluster, so any one instance answers for all.
 */
export interface Metrics {
  registry: Registry;
  /** Series by method, route and status. */
  httpRequests: PlainCounter;
  httpDuration: PlainHistogram;
  refreshes: Counter<'outcome'>;
  /** Series by app and status. */
  outboundRequests: PlainCounter;
  /** Series by app. */
  outboundDuration: PlainHistogram;
}

export interface MetricSources {
  /** Connections by status, counted in the database at each scrape. */
  connectionsByStatus(): Promise<Array<{ status: string; count: number }>>;
  /** The job backlog by queue. */
  jobStats(): Promise<QueueStats[]>;
}

/** Seconds, from a fast local call to a slow service. */
const LATENCY_BUCKETS_S = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export function createMetrics(sources: MetricSources): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'hitch_' });

  // Counted on every request: plain numbers, read at scrape time (plain-metrics.ts says why).
  const httpRequests = new PlainCounter(
    'hitch_http_requests_total',
    'HTTP requests answered, by method, route pattern and status code.',
    ['method', 'route', 'status'],
    registry,
  );
  const httpDuration = new PlainHistogram(
    'hitch_http_request_duration_seconds',
    'Time to answer HTTP requests, by method, route pattern and status code.',
    ['method', 'route', 'status'],
    LATENCY_BUCKETS_S,
    registry,
  );
  const refreshes = new Counter({
    name: 'hitch_connection_refreshes_total',
    help: 'Token renewals by outcome: renewed, failed (transient, retried later), reauthorization_required (the grant is gone).',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  const outboundRequests = new PlainCounter(
    'hitch_outbound_requests_total',
    'Calls to services, by app (or host when apps share one, "other" outside the catalog) and status code ("error" when no answer came).',
    ['app', 'status'],
    registry,
  );
  const outboundDuration = new PlainHistogram(
    'hitch_outbound_request_duration_seconds',
    'Time until a service answered (headers), by app.',
    ['app'],
    LATENCY_BUCKETS_S,
    registry,
  );

  new Gauge({
    name: 'hitch_connections',
    help: 'Connections by status, across all instances.',
    labelNames: ['status'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const { status, count } of await sources.connectionsByStatus()) this.set({ status }, count);
    },
  });

  // Both job gauges come from one read of the backlog per scrape.
  let pendingStats: Promise<QueueStats[]> | null = null;
  const jobStats = () => {
    pendingStats ??= sources.jobStats().finally(() => setImmediate(() => (pendingStats = null)));
    return pendingStats;
  };
  new Gauge({
    name: 'hitch_jobs_waiting',
    help: 'Jobs due and not yet taken by a worker, by queue.',
    labelNames: ['queue'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const q of await jobStats()) this.set({ queue: q.name }, q.waiting);
    },
  });
  new Gauge({
    name: 'hitch_jobs_lag_seconds',
    help: 'How long the oldest due job has waited for a worker, by queue.',
    labelNames: ['queue'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const q of await jobStats()) this.set({ queue: q.name }, q.lagMs / 1000);
    },
  });

  return { registry, httpRequests, httpDuration, refreshes, outboundRequests, outboundDuration };
}
