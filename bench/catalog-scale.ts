import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUILT_IN_APPS_DIR } from '../src/catalog/app-folder.ts';
import { SCHEMA_FILE } from '../src/catalog/json-files.ts';
import { IDLE_MS, median, startOnce } from './startup-probe.ts';

/**
 * `node --import tsx bench/catalog-scale.ts [runs]`: start-up time to /healthz
 * and idle RSS of the built server (`node --enable-source-maps dist/main.js`)
 * with the built-in catalog alone, and with 300 and 1,000 more app files in
 * HITCH_APPS_DIR. The synthetic apps are copies of the built-in files under new
 * ids (presets and all), so each is as large as a real one.
 */
const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const RUNS = Number(process.argv[2] ?? 3);
const SIZES = [0, 300, 1000];

function syntheticApps(count: number): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `hitch-apps-${count}-`));
  const sources = fs
    .readdirSync(BUILT_IN_APPS_DIR)
    .filter((f) => f.endsWith('.json') && f !== SCHEMA_FILE)
    .map((f) => JSON.parse(fs.readFileSync(path.join(BUILT_IN_APPS_DIR, f), 'utf8')) as Record<string, unknown>);
  for (let i = 0; i < count; i++) {
    const source = sources[i % sources.length]!;
    const id = `synthetic-${i}`;
    fs.writeFileSync(path.join(dir, `${id}.json`), JSON.stringify({ ...source, id, name: `Synthetic ${i}` }));
  }
  return dir;
}

const dirs = new Map(SIZES.map((n) => [n, n === 0 ? null : syntheticApps(n)]));
const results = new Map(SIZES.map((n) => [n, { healthzMs: [] as number[], rssMiB: [] as number[] }]));
try {
  for (let run = 0; run < RUNS; run++) {
    for (const n of SIZES) {
      const dir = dirs.get(n);
      const r = await startOnce(REPO, ['--enable-source-maps', 'dist/main.js'], dir ? { HITCH_APPS_DIR: dir } : {});
      results.get(n)!.healthzMs.push(r.healthzMs);
      results.get(n)!.rssMiB.push(r.rssMiB);
    }
  }
} finally {
  for (const dir of dirs.values()) if (dir) fs.rmSync(dir, { recursive: true, force: true });
}

const fmt = (xs: number[]) =>
  `${Math.round(median(xs))} (${Math.round(Math.min(...xs))}–${Math.round(Math.max(...xs))})`;
console.log(
  `| Apps in HITCH_APPS_DIR | Time to /healthz, ms: median (min–max) | RSS after ${IDLE_MS / 1000} s idle, MiB: median (min–max) |`,
);
console.log('|---|---|---|');
for (const [n, r] of results) console.log(`| ${n} | ${fmt(r.healthzMs)} | ${fmt(r.rssMiB)} |`);
