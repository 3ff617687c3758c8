import { Counter, Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { PlainCounter, PlainHistogram } from '../../src/metrics/plain-metrics.ts';

const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1];
const OBSERVED = [0.001, 0.005, 0.007, 0.03, 0.03, 0.2, 0.9, 3, 12];

/** The same observations through prom-client's own metrics and through the plain ones, each in a registry of its own. */
async function both(): Promise<{ theirs: string; ours: string }> {
  const reference = new Registry();
  const counter = new Counter({
    name: 'calls_total',
    help: 'Calls, by method and status.',
    labelNames: ['method', 'status'] as const,
    registers: [reference],
  });
  const histogram = new Histogram({
    name: 'call_seconds',
    help: 'Time of calls, by method and status.',
    labelNames: ['method', 'status'] as const,
    buckets: BUCKETS,
    registers: [reference],
  });
  const plain = new Registry();
  const plainCounter = new PlainCounter('calls_total', 'Calls, by method and status.', ['method', 'status'], plain);
  const plainHistogram = new PlainHistogram(
    'call_seconds',
    'Time of calls, by method and status.',
    ['method', 'status'],
    BUCKETS,
    plain,
  );
  for (const [i, seconds] of OBSERVED.entries()) {
    const labels = { method: i % 2 ? 'GET' : 'POST', status: i % 3 ? '200' : '502' };
    counter.inc(labels);
    histogram.observe(labels, seconds);
    plainCounter.series(labels.method, labels.status).inc();
    plainHistogram.series(labels.method, labels.status).observe(seconds);
  }
  plainCounter.series('GET', '200').inc(2);
  counter.inc({ method: 'GET', status: '200' }, 2);
  return { theirs: await reference.metrics(), ours: await plain.metrics() };
}

describe('the plain counter and histogram', () => {
  it('write exactly what prom-client’s own write for the same observations', async () => {
    const { theirs, ours } = await both();
    expect(ours).toContain('call_seconds_bucket{le="+Inf",method="POST",status="502"}');
    expect(ours).toBe(theirs);
  });

  it('keep each combination of label values apart, with any number of labels, none included', async () => {
    const reference = new Registry();
    const plain = new Registry();
    const theirs = new Counter({ name: 'x_total', help: 'X.', labelNames: ['a', 'b', 'c'], registers: [reference] });
    const ours = new PlainCounter('x_total', 'X.', ['a', 'b', 'c'], plain);
    const theirsBare = new Counter({ name: 'up_total', help: 'Up.', registers: [reference] });
    const oursBare = new PlainCounter('up_total', 'Up.', [], plain);
    for (const [a, b, c] of [
      ['x', 'yz', ''],
      ['xy', 'z', ''],
      ['x', 'yz', ''],
      ['x', '', 'yz'],
    ] as const) {
      theirs.inc({ a, b, c });
      ours.series(a, b, c).inc();
      theirsBare.inc();
      oursBare.series().inc();
    }
    expect(await plain.metrics()).toBe(await reference.metrics());
    expect(await plain.metrics()).toContain('x_total{a="x",b="yz",c=""} 2');
  });

  it('give the same JSON as prom-client’s, and start over when reset', async () => {
    const plain = new Registry();
    const counter = new PlainCounter('n_total', 'N.', ['app'], plain);
    counter.series('github').inc();
    expect((await plain.getMetricsAsJSON())[0]).toMatchObject({
      name: 'n_total',
      type: 'counter',
      values: [{ labels: { app: 'github' }, value: 1 }],
    });
    plain.resetMetrics();
    expect(await plain.metrics()).not.toContain('github');
  });
});
