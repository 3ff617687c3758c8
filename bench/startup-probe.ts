import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/** How long a started Hitch idles before its resident memory is read. */
export const IDLE_MS = 5_000;

export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

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

/**
 * Starts Hitch (`node <args>` in `repo`) on a fresh DATA_DIR (SQLite), times
 * spawn to the first 200 from /healthz, and reads its VmRSS after IDLE_MS idle.
 * `env` adds to an environment cleared of Hitch's own variables.
 */
export async function startOnce(
  repo: string,
  args: string[],
  extraEnv: Record<string, string> = {},
): Promise<{ healthzMs: number; rssMiB: number }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hitch-startup-'));
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^(HITCH_|DATABASE_URL$|PORT$|DATA_DIR$)/.test(k)) env[k] = v;
  const started = performance.now();
  const child = spawn(process.execPath, args, {
    cwd: repo,
    env: { ...env, DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: 'warn', ...extraEnv },
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
