import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanEnv, freePort, REPO, tempDir, watch, type Spawned } from './spawn.ts';

const started: Spawned[] = [];
const pids: number[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const s of started.splice(0)) if (s.child.exitCode === null) s.child.kill('SIGKILL');
  for (const pid of pids.splice(0)) if (alive(pid)) process.kill(pid, 'SIGKILL');
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    // A zombie has exited; only its parent has not collected it yet.
    return !/^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/** Every process below `pid`, from /proc (Linux). */
function descendants(pid: number): number[] {
  let children: number[];
  try {
    children = fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').split(' ').filter(Boolean).map(Number);
  } catch {
    return [];
  }
  return children.flatMap((child) => [child, ...descendants(child)]);
}

/** True once nothing listens on `port` and it can be bound again. */
function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

async function within(ms: number, check: () => Promise<boolean>): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('npm start', () => {
  it(
    'stops Hitch and frees its port when the npm process itself gets SIGTERM, as from a process manager or docker stop',
    { timeout: 90_000 },
    async () => {
      const dataDir = path.join(tempDir(), 'data');
      dirs.push(path.dirname(dataDir));
      const port = await freePort();
      const npm = watch(
        spawn('npm', ['start'], {
          cwd: REPO,
          env: cleanEnv({ DATA_DIR: dataDir, PORT: String(port) }),
          stdio: ['ignore', 'pipe', 'pipe'],
        }),
      );
      started.push(npm);
      await npm.waitFor('Hitch is listening on');
      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
      const below = descendants(npm.child.pid!);
      pids.push(...below);
      // One Node process runs Hitch under npm: no shell in between that would swallow the signal.
      expect(below.map((pid) => fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0])).toEqual([
        expect.stringMatching(/node$/),
      ]);

      npm.child.kill('SIGTERM'); // the npm process only, not its process group
      expect(await within(5_000, () => portIsFree(port))).toBe(true);
      expect(await npm.exited).toBe(0);
      expect(npm.stdout()).toContain('Hitch stopped');
      expect(below.filter(alive)).toEqual([]);
    },
  );
});
