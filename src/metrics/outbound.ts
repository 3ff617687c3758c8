import type { Outbound, OutboundRequest } from '../outbound/types.ts';
import type { Metrics } from './registry.ts';

/**
 * The outbound client, counting every call by app and status. A wrapper rather
 * than code inside the client, so the client stays about the network alone.
 */
export function instrumentOutbound(
  outbound: Outbound,
  metrics: Metrics,
  appOf: (url: string | URL) => string,
): Outbound {
  const observe = async <R extends { status: number }>(url: string | URL, call: () => Promise<R>): Promise<R> => {
    const app = appOf(url);
    const started = performance.now();
    try {
      const response = await call();
      metrics.outboundDuration.series(app).observe((performance.now() - started) / 1000);
      metrics.outboundRequests.series(app, String(response.status)).inc();
      return response;
    } catch (error) {
      metrics.outboundRequests.series(app, 'error').inc();
      throw error;
    }
  };
  const urlOf = (input: Parameters<typeof fetch>[0]): string =>
    typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;

  return {
    request: (req: OutboundRequest) => observe(req.url, () => outbound.request(req)),
    stream: (req: OutboundRequest) => observe(req.url, () => outbound.stream(req)),
    fetch: (input, init) => observe(urlOf(input), () => outbound.fetch(input, init)),
    close: () => outbound.close(),
  };
}
