import { Pool } from 'undici';
import { SWEEP_CONCURRENCY } from '../src/connections/sweep.ts';
import { openBenchWorld, startTokenEndpoint } from './world.ts';
import { round, type BenchContext, type Figure } from './figures.ts';
import { placedValue } from '../test/helpers/placed.ts';

/**
 * Refresh throughput: connections per second the proactive sweep renews, against
 * the token endpoint's own capacity measured with the same client library
 * (undici) at the same concurrency.
 */
export async function refreshThroughput(ctx: BenchContext, kind: 'sqlite' | 'postgres'): Promise<Figure[]> {
  const count = ctx.size === 'tiny' ? 50 : ctx.size === 'quick' ? 1500 : 5000;
  const endpoint = await startTokenEndpoint();
  const world = await openBenchWorld(kind, endpoint.url);
  try {
    // Both sides are measured warm, as in a server that has been sweeping every period: each after at
    // least 6,000 requests or renewals (V8 compiles the renewal path's many functions over the first
    // few thousand, and the endpoint's capacity triples once warm). The first sweep is reported too.
    const warmSweeps = ctx.size === 'tiny' ? 1 : Math.ceil(6000 / count);
    const pool = new Pool(endpoint.url, { connections: SWEEP_CONCURRENCY });
    const body = 'grant_type=refresh_token&refresh_token=abc&client_id=bench-client&client_secret=bench-secret';
    const load = async (requests: number): Promise<number> => {
      let sent = 0;
      const started = performance.now();
      await Promise.all(
        Array.from({ length: SWEEP_CONCURRENCY }, async () => {
          while (sent < requests) {
            sent++;
            const res = await pool.request({
              path: '/token',
              method: 'POST',
              headers: { 'content-type': 'application/x-www-form-urlencoded' },
              body,
            });
            await res.body.json();
          }
        }),
      );
      return requests / ((performance.now() - started) / 1000);
    };
    await load(warmSweeps * count);
    const capacity = await load(count);
    await pool.close();

    let firstRate = 0;
    for (let pass = 0; pass < warmSweeps; pass++) {
      await world.seed(count, { expired: true, app: 'bench' });
      const started = performance.now();
      const warm = await world.connections.sweep();
      if (warm.renewed !== count) throw new Error(`a warm-up sweep renewed ${warm.renewed} of ${count}`);
      if (pass === 0) firstRate = count / ((performance.now() - started) / 1000);
    }
    await world.seed(count, { expired: true, app: 'bench' });
    const before = await endpoint.calls();
    const t0 = performance.now();
    const result = await world.connections.sweep();
    const rate = result.renewed / ((performance.now() - t0) / 1000);
    const refreshes = (await endpoint.calls()) - before;
    ctx.log(
      `refresh throughput (${kind}): sweep ${round(rate, 0)}/s (${result.renewed} renewed, ${refreshes} token calls), endpoint ${round(capacity, 0)}/s`,
    );
    return [
      {
        name: `refresh throughput (sweep, ${kind})`,
        value: round(rate, 0),
        unit: 'connections/s',
        baseline: round(capacity, 0),
        ratio: round(rate / capacity),
        goal: '>= 0.7x endpoint capacity',
        pass: rate / capacity >= 0.7 && result.renewed === count && refreshes === count,
        note: `one instance keeps about ${Math.floor(rate * 3600).toLocaleString('en')} hourly-expiring connections fresh`,
      },
      {
        name: `refresh throughput, first sweep after start (${kind})`,
        value: round(firstRate, 0),
        unit: 'connections/s',
        baseline: round(capacity, 0),
        ratio: round(firstRate / capacity),
        goal: 'reported',
        pass: true,
      },
    ];
  } finally {
    await world.close();
    await endpoint.close();
  }
}

/** 1,000 concurrent callers on one expired token: exactly one refresh, and how long until all have it. */
export async function refreshStorm(ctx: BenchContext): Promise<Figure[]> {
  const callers = ctx.size === 'tiny' ? 100 : 1000;
  const endpoint = await startTokenEndpoint();
  const world = await openBenchWorld('sqlite', endpoint.url);
  try {
    const [single, stormed] = await world.seed(2, { expired: true, app: 'bench' });
    // One refresh on its own, warm: the baseline.
    const s0 = performance.now();
    await world.connections.credentials.get(single!);
    const one = performance.now() - s0;

    const before = await endpoint.calls();
    const t0 = performance.now();
    const results = await Promise.all(
      Array.from({ length: callers }, () => world.connections.credentials.get(stormed!)),
    );
    const all = performance.now() - t0;
    const refreshes = (await endpoint.calls()) - before;
    const distinct = new Set(results.map((r) => placedValue(r.placed))).size;
    ctx.log(
      `refresh storm: ${callers} callers, ${refreshes} refresh(es), all served in ${round(all)} ms; one refresh ${round(one)} ms`,
    );
    return [
      {
        name: `refresh storm: refreshes for ${callers} callers`,
        value: refreshes,
        unit: 'refreshes',
        baseline: 1,
        ratio: round(1 / Math.max(refreshes, 1)),
        goal: 'exactly 1',
        pass: refreshes === 1 && distinct === 1,
      },
      {
        name: 'refresh storm: time until every caller has the token',
        value: round(all),
        unit: 'ms',
        baseline: round(one),
        ratio: round(one / all),
        goal: '<= 3x one refresh',
        pass: all <= 3 * one,
      },
    ];
  } finally {
    await world.close();
    await endpoint.close();
  }
}
