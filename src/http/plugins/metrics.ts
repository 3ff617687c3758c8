import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { HitchError } from '../../errors.ts';
import type { Metrics } from '../../metrics/registry.ts';
import { trustedProxies } from '../../trusted-proxies.ts';

export interface MetricsPluginOptions {
  metrics: Metrics;
  /** METRICS_TOKEN: when set, scrapes must send `Authorization: Bearer <token>`; when not, only this machine may scrape. */
  token: string | null;
}

const isLoopback = trustedProxies(['127.0.0.0/8', '::1']);
const FORWARDING_HEADERS = ['forwarded', 'x-forwarded-for', 'x-forwarded-host', 'x-forwarded-proto'];

/**
 * Without a token, a scrape must come from this machine itself: the TCP peer is
 * loopback and no forwarding header says it came through a proxy — a proxy on
 * the same host would otherwise hand every outside request a loopback address.
 * The raw socket and headers are read, never request.ip, which a listed proxy
 * may set to anything.
 */
function fromThisMachine(request: FastifyRequest): boolean {
  return (
    isLoopback(request.raw.socket.remoteAddress) &&
    FORWARDING_HEADERS.every((name) => request.raw.headers[name] === undefined)
  );
}

/** Digests have one length, so comparing them in constant time needs no length check that would leak. */
const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * Times every request by its route pattern (`/api/v1/connections/:id`, never the
 * raw URL, whose ids would make a label per connection) and serves `GET /metrics`
 * in Prometheus text format.
 */
async function metricsPlugin(app: FastifyInstance, options: MetricsPluginOptions): Promise<void> {
  const { metrics } = options;
  const expected = options.token ? digest(`Bearer ${options.token}`) : null;

  app.addHook('onResponse', (request: FastifyRequest, reply: FastifyReply, done) => {
    const labels = [request.method, request.routeOptions.url ?? 'unmatched', String(reply.statusCode)] as const;
    metrics.httpRequests.series(...labels).inc();
    metrics.httpDuration.series(...labels).observe(reply.elapsedTime / 1000);
    done();
  });

  app.get('/metrics', { config: { auth: 'none' } }, async (request, reply) => {
    if (expected && !timingSafeEqual(digest(request.headers.authorization ?? ''), expected)) {
      reply.header('www-authenticate', 'Bearer realm="metrics"');
      throw new HitchError('unauthenticated', {
        message: 'Send the metrics token (METRICS_TOKEN) as Authorization: Bearer <token>.',
      });
    }
    if (!expected && !fromThisMachine(request)) {
      throw new HitchError('forbidden', {
        message: 'Metrics are served only to this machine without a proxy: set METRICS_TOKEN to scrape from elsewhere.',
      });
    }
    reply.header('content-type', metrics.registry.contentType);
    return metrics.registry.metrics();
  });
}

export default fp(metricsPlugin, { name: 'hitch-metrics' });
