import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { round, type BenchContext, type Figure } from './figures.ts';
import { proxyOverhead } from './proxy.ts';
import { refreshStorm, refreshThroughput } from './refresh.ts';
import { manyConnections } from './scale.ts';
import { startupFigures } from './startup-figures.ts';
import { tokenPath } from './token-path.ts';

/**
 * `npm run bench [-- --quick]`: every figure against its limit, as ratios to a
 * baseline measured in the same run. Writes bench/results/<date>.json and
 * prints a Markdown table; a ratio more than 20% worse than the last committed
 * result is flagged.
 */
export const RESULTS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results');

export interface BenchReport {
  machine: { cpu: string; cores: number; node: string };
  size: BenchContext['size'];
  at: string;
  figures: Figure[];
}

export async function runBenchmarks(ctx: BenchContext): Promise<BenchReport> {
  const figures: Figure[] = [];
  for (const kind of ['sqlite', 'postgres'] as const) figures.push(...(await tokenPath(ctx, kind)));
  figures.push(...(await proxyOverhead(ctx)));
  figures.push(...(await refreshStorm(ctx)));
  for (const kind of ['sqlite', 'postgres'] as const) figures.push(...(await refreshThroughput(ctx, kind)));
  for (const kind of ['sqlite', 'postgres'] as const) figures.push(...(await manyConnections(ctx, kind)));
  figures.push(...(await startupFigures(ctx)));
  const cpus = os.cpus();
  return {
    machine: { cpu: cpus[0]?.model ?? 'unknown', cores: cpus.length, node: process.version },
    size: ctx.size,
    at: new Date().toISOString(),
    figures,
  };
}

/** The latest committed full or quick result, to flag regressions against. */
function previousReport(): BenchReport | null {
  if (!fs.existsSync(RESULTS_DIR)) return null;
  const files = fs
    .readdirSync(RESULTS_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort();
  const last = files[files.length - 1];
  return last ? (JSON.parse(fs.readFileSync(path.join(RESULTS_DIR, last), 'utf8')) as BenchReport) : null;
}

export function markdownTable(report: BenchReport, previous: BenchReport | null): string {
  const before = new Map((previous?.figures ?? []).map((f) => [f.name, f]));
  const lines = [
    `Machine: ${report.machine.cpu}, ${report.machine.cores} cores, Node ${report.machine.node}; size: ${report.size}; ${report.at}`,
    '',
    '| figure | value | baseline | ratio | goal | met | vs last |',
    '| --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const f of report.figures) {
    const old = before.get(f.name);
    let trend = '';
    if (old?.ratio && f.ratio)
      trend = f.ratio < old.ratio * 0.8 ? `⚠ ${round(f.ratio / old.ratio)}x` : `${round(f.ratio / old.ratio)}x`;
    lines.push(
      `| ${f.name} | ${f.value} ${f.unit} | ${f.baseline ?? '—'} | ${f.ratio ?? '—'} | ${f.goal} | ${f.pass ? 'yes' : '**no**'} | ${trend} |`,
    );
    if (f.note) lines.push(`| ↳ ${f.note} | | | | | | |`);
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const size: BenchContext['size'] = args.includes('--tiny') ? 'tiny' : args.includes('--quick') ? 'quick' : 'full';
  const previous = previousReport();
  const report = await runBenchmarks({ size, log: (line) => process.stderr.write(`${line}\n`) });
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, `${report.at.slice(0, 10)}-${size}.json`);
  if (size !== 'tiny') fs.writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  process.stdout.write(`${markdownTable(report, previous)}\n`);
  if (size !== 'tiny') process.stdout.write(`\nWritten to ${path.relative(process.cwd(), file)}\n`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  main().catch((error: unknown) => {
    process.stderr.write(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}
