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

/** Runs `fn` repeatedly for about `ms` (at least `minOps` times) and returns operations per second. */
export async function opsPerSecond(fn: () => unknown, ms: number, minOps = 100): Promise<number> {
  // Warm-up: JIT, caches, connection pools.
  for (let i = 0; i < Math.min(minOps, 200); i++) await fn();
  let ops = 0;
  const start = process.hrtime.bigint();
  const deadline = start + BigInt(ms) * 1_000_000n;
  while (process.hrtime.bigint() < deadline || ops < minOps) {
    for (let i = 0; i < 50; i++) await fn();
    ops += 50;
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return ops / seconds;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export function round(value: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
