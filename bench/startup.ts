import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

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
const IDLE_MS = 5_000;

const variants: Record<string, string[]> = {
  'tsx src/main.ts': ['--import', 'tsx', 'src/main.ts'],
  'node --enable-source-maps dist/main.js': ['--enable-source-maps', 'dist/main.js'],
  'node dist/main.js': ['dist/main.js'],
  'node --enable-source-maps scripts/start.mjs': ['--enable-source-maps', 'scripts/start.mjs'],
};

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function rssMiB(pid: number): number {
  const kb = Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
  return kb / 1024;
}

async function once(args: string[]): Promise<{ healthzMs: number; rssMiB: number }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hitch-startup-'));
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^(HITCH_|DATABASE_URL$|PORT$|DATA_DIR$)/.test(k)) env[k] = v;
  const started = performance.now();
  const child = spawn(process.execPath, args, {
    cwd: REPO,
    env: { ...env, DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: 'warn' },
    stdio: 'ignore',
  });
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`${args.join(' ')} exited with ${child.exitCode}`);
      const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then(
        (r) => r.status === 200,
        () => false,
      );
      if (ok) break;
      await new Promise((r) => setTimeout(r, 5));
    }
    const healthzMs = performance.now() - started;
    await new Promise((r) => setTimeout(r, IDLE_MS));
    return { healthzMs, rssMiB: rssMiB(child.pid!) };
  } finally {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const rows: string[] = [];
const results: Record<string, { healthzMs: number[]; rssMiB: number[] }> = {};
for (const name of Object.keys(variants)) results[name] = { healthzMs: [], rssMiB: [] };
// Interleaved, so a busy moment on the machine falls on every variant alike.
for (let i = 0; i < RUNS; i++) {
  for (const [name, args] of Object.entries(variants)) {
    const r = await once(args);
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
