import { describe, expect, it } from 'vitest';
import { markdownTable, runBenchmarks } from '../../bench/run.ts';

// Benchmarks are not tests: nothing here is timed. Each one runs once at a tiny size so none can rot.
describe('benchmarks at a tiny size', () => {
  it('produce every figure with a baseline or an absolute goal, and the refresh storm makes exactly one refresh', async () => {
    const report = await runBenchmarks({ size: 'tiny', log: () => {} });
    const names = report.figures.map((f) => f.name);
    expect(names.some((n) => n.startsWith('token path, cache miss (sqlite)'))).toBe(true);
    expect(names.some((n) => n.startsWith('token path, cache hit (postgres)'))).toBe(true);
    expect(names.some((n) => n.startsWith('list page p95'))).toBe(true);
    for (const f of report.figures) {
      expect(Number.isFinite(f.value)).toBe(true);
      if (f.baseline !== null) expect(f.ratio).not.toBeNull();
    }
    const proxy = report.figures.find((f) => f.name === 'proxy throughput vs bare undici forwarder')!;
    expect(proxy.value).toBeGreaterThan(0);
    expect(proxy.baseline).toBeGreaterThan(0);
    const storm = report.figures.find((f) => f.name.startsWith('refresh storm: refreshes'))!;
    expect(storm.value).toBe(1);
    const throughput = report.figures.find((f) => f.name.startsWith('refresh throughput'))!;
    expect(throughput.value).toBeGreaterThan(0);
    expect(markdownTable(report, null)).toContain('| figure | value | baseline |');
  }, 120_000);
});
