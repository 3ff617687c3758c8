/** One measured figure, against its baseline measured in the same run. */
export interface Figure {
  name: string;
  value: number;
  unit: string;
  /** The best possible on this machine, measured now; null when the goal is absolute. */
  baseline: number | null;
  /** value / baseline, oriented so that higher is better. */
  ratio: number | null;
  /** e.g. ">= 0.5x floor" or "< 20 ms". */
  goal: string;
  pass: boolean;
  note?: string;
}

export interface BenchContext {
  /** `tiny`: once at the smallest size (npm test); `quick`: under 3 minutes; `full`: everything. */
  size: 'tiny' | 'quick' | 'full';
  log(line: string): void;
}

/**
 * Operations per second of each function, measured in `rounds` turns that alternate their order
 * (A B, then B A…), so a machine that drifts during the run weighs on each of them alike: ratios
 * between them stay fair on a shared VM. Each function gets `ms` in all.
 */
export async function interleavedOpsPerSecond(fns: Array<() => unknown>, ms: number, rounds = 6): Promise<number[]> {
  // Warm-up: JIT, caches, connection pools.
  for (const fn of fns) for (let i = 0; i < 200; i++) await fn();
  const ops = fns.map(() => 0);
  const nanos = fns.map(() => 0n);
  const slice = BigInt(Math.max(1, Math.round(ms / rounds))) * 1_000_000n;
  for (let round = 0; round < rounds; round++) {
    const order = fns.map((_, i) => i);
    if (round % 2 === 1) order.reverse();
    for (const i of order) {
      const fn = fns[i]!;
      const start = process.hrtime.bigint();
      const deadline = start + slice;
      let done = 0;
      while (process.hrtime.bigint() < deadline || done < 50) {
        for (let k = 0; k < 50; k++) await fn();
        done += 50;
      }
      ops[i]! += done;
      nanos[i]! += process.hrtime.bigint() - start;
    }
  }
  return ops.map((n, i) => n / (Number(nanos[i]) / 1e9));
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export function round(value: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
