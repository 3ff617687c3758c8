import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { IDLE_MS, median, startOnce } from './startup-probe.ts';

/**
 * `npm run bench:startup [-- runs]`: how long Hitch takes from
 * exec to a 200 from /healthz, and its resident memory after 5 s idle, for
 * the TypeScript entry through tsx (what `npm start` ran before the build),
 * for the built dist/main.js (with and without source maps) and for
 * scripts/start.mjs, which `npm start` runs now (dist/ is fresh: no build). Each run gets a fresh DATA_DIR (SQLite), so a run
 * includes creating the database and the first admin, as a first start does.
 */
const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const RUNS = Number(process.argv[2] ?? 5);

const variants: Record<string, string[]> = {
  'tsx src/main.ts': ['--import', 'tsx', 'src/main.ts'],
  'node --enable-source-maps dist/main.js': ['--enable-source-maps', 'dist/main.js'],
  'node dist/main.js': ['dist/main.js'],
  'node --enable-source-maps scripts/start.mjs': ['--enable-source-maps', 'scripts/start.mjs'],
};

const rows: string[] = [];
const results: Record<string, { healthzMs: number[]; rssMiB: number[] }> = {};
for (const name of Object.keys(variants)) results[name] = { healthzMs: [], rssMiB: [] };
// Interleaved, so a busy moment on the machine falls on every variant alike.
for (let i = 0; i < RUNS; i++) {
  for (const [name, args] of Object.entries(variants)) {
    const r = await startOnce(REPO, args);
    results[name]!.healthzMs.push(r.healthzMs);
    results[name]!.rssMiB.push(r.rssMiB);
  }
}
for (const [name, r] of Object.entries(results)) {
  const fmt = (xs: number[]) =>
    `${Math.round(median(xs))} (${Math.round(Math.min(...xs))}–${Math.round(Math.max(...xs))})`;
  rows.push(`| \`${name}\` | ${fmt(r.healthzMs)} | ${fmt(r.rssMiB)} |`);
}
console.log(
  `| Entry | Time to /healthz, ms: median (min–max) | RSS after ${IDLE_MS / 1000} s idle, MiB: median (min–max) |`,
);
console.log('|---|---|---|');
console.log(rows.join('\n'));
