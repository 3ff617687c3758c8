import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanEnv, freePort, run, SERVER, tempDir, type Spawned } from './spawn.ts';

const started: Spawned[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const s of started.splice(0)) if (s.child.exitCode === null) s.child.kill('SIGKILL');
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function start(env: Record<string, string>): Spawned {
  const spawned = run(SERVER, [], cleanEnv(env));
  started.push(spawned);
  return spawned;
}

function oneLine(text: string): string[] {
  return text.split('\n').filter(Boolean);
}

describe('npm start', () => {
  it(
    'serves /healthz, creates data/ with a 0600 master key, prints a sign-in that works, and stops cleanly on SIGTERM',
    { timeout: 90_000 },
    async () => {
      const cwd = tempDir();
      dirs.push(cwd);
      const dataDir = path.join(cwd, 'data');
      const port = await freePort();
      const hitch = start({ DATA_DIR: dataDir, PORT: String(port) });
      await hitch.waitFor('Hitch is listening on');
      const base = `http://127.0.0.1:${port}`;
      expect(hitch.stdout()).toContain(`Hitch is listening on ${base}`);

      const health = await fetch(`${base}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: 'ok' });
      expect(fs.statSync(path.join(dataDir, 'master.key')).mode & 0o777).toBe(0o600);
      expect(fs.existsSync(path.join(dataDir, 'hitch.sqlite'))).toBe(true);

      const match = /Sign in as (\S+) with the password (\S+)/.exec(hitch.stdout());
      expect(match).not.toBeNull();
      const [, email, password] = match!;
      // The password is for the person at the terminal, not for the JSON log.
      const jsonLines = hitch
        .stdout()
        .split('\n')
        .filter((l) => l.startsWith('{'));
      expect(jsonLines.join('\n')).not.toContain(password!);

      const login = await fetch(`${base}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: base },
        body: JSON.stringify({ email, password }),
      });
      expect(login.status).toBe(200);
      expect((await login.json()).user).toMatchObject({ email, isAdmin: true });

      hitch.child.kill('SIGTERM');
      expect(await hitch.exited).toBe(0);
      expect(hitch.stderr()).toBe('');

      // A second start reuses the key and the admin, and prints no password.
      const key = fs.readFileSync(path.join(dataDir, 'master.key'), 'utf8');
      const again = start({ DATA_DIR: dataDir, PORT: String(port) });
      await again.waitFor('Hitch is listening on');
      expect(again.stdout()).not.toContain('with the password');
      expect(fs.readFileSync(path.join(dataDir, 'master.key'), 'utf8')).toBe(key);
      again.child.kill('SIGTERM');
      expect(await again.exited).toBe(0);
    },
  );

  it('creates the configured admin, who signs in with HITCH_ADMIN_PASSWORD', { timeout: 60_000 }, async () => {
    const dataDir = tempDir();
    dirs.push(dataDir);
    const port = await freePort();
    const hitch = start({
      DATA_DIR: dataDir,
      PORT: String(port),
      HITCH_ADMIN_EMAIL: 'Boss@Example.com',
      HITCH_ADMIN_PASSWORD: 'boss password 1',
    });
    await hitch.waitFor('Hitch is listening on');
    expect(hitch.stdout()).toContain('Sign in as boss@example.com with the password in HITCH_ADMIN_PASSWORD');
    expect(hitch.stdout()).not.toContain('boss password 1');
    const base = `http://127.0.0.1:${port}`;
    const login = await fetch(`${base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'boss@example.com', password: 'boss password 1' }),
    });
    expect(login.status).toBe(200);
    hitch.child.kill('SIGINT');
    expect(await hitch.exited).toBe(0);
  });

  for (const [variable, value] of [
    ['DATABASE_URL', 'mysql://x'],
    ['DATABASE_URL', 'postgres://nobody@127.0.0.1:1/hitch'],
    ['HITCH_MASTER_KEY', 'short'],
    ['PORT', 'eighty'],
  ] as const) {
    it(`stops with one line naming ${variable} when it is ${value}`, { timeout: 60_000 }, async () => {
      const dataDir = tempDir();
      dirs.push(dataDir);
      const hitch = start({ DATA_DIR: dataDir, PORT: String(await freePort()), [variable]: value });
      expect(await hitch.exited).toBe(1);
      const lines = oneLine(hitch.stderr());
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(new RegExp(`^hitch: ${variable}\\b`));
      expect(hitch.stderr()).not.toMatch(/\bat .+:\d+:\d+/);
    });
  }

  it(
    'stops with one clear line when the master key cannot unlock the stored data keys',
    { timeout: 60_000 },
    async () => {
      const dataDir = tempDir();
      dirs.push(dataDir);
      const first = start({
        DATA_DIR: dataDir,
        PORT: String(await freePort()),
        HITCH_MASTER_KEY: Buffer.alloc(32, 1).toString('base64'),
      });
      await first.waitFor('Hitch is listening on');
      first.child.kill('SIGTERM');
      await first.exited;
      const second = start({
        DATA_DIR: dataDir,
        PORT: String(await freePort()),
        HITCH_MASTER_KEY: Buffer.alloc(32, 2).toString('base64'),
      });
      expect(await second.exited).toBe(1);
      const lines = oneLine(second.stderr());
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^hitch: .*HITCH_MASTER_KEY/);
    },
  );

  it('stops with one line naming PORT when the port is taken', { timeout: 60_000 }, async () => {
    const dataDir = tempDir();
    dirs.push(dataDir);
    const port = await freePort();
    const first = start({ DATA_DIR: dataDir, PORT: String(port) });
    await first.waitFor('Hitch is listening on');
    const second = start({ DATA_DIR: dataDir, PORT: String(port) });
    expect(await second.exited).toBe(1);
    expect(oneLine(second.stderr())).toEqual([expect.stringMatching(/^hitch: PORT: .* already in use/)]);
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
  });
});
