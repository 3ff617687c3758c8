import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { CLI, cleanEnv, freePort, run, SERVER, tempDir } from './spawn.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

async function hitch(args: string[], env: Record<string, string>) {
  const spawned = run(CLI, args, cleanEnv(env));
  const code = await spawned.exited;
  return { code, out: spawned.stdout(), err: spawned.stderr() };
}

describe('npm run hitch', () => {
  it('creates a user who can then sign in to the server', { timeout: 90_000 }, async () => {
    const dataDir = tempDir();
    dirs.push(dataDir);
    const created = await hitch(
      ['create-user', '--email', 'Ada@Example.com', '--password', 'analytical engine', '--team', 'Engines'],
      { DATA_DIR: dataDir },
    );
    expect(created).toMatchObject({ code: 0, err: '' });
    expect(created.out).toContain('ada@example.com');
    expect(created.out).toContain('"Engines"');

    const dup = await hitch(['create-user', '--email', 'ada@example.com', '--password', 'analytical engine'], {
      DATA_DIR: dataDir,
    });
    expect(dup.code).toBe(1);
    expect(dup.err).toBe('hitch: A user with this email already exists.\n');

    const port = await freePort();
    const server = run(SERVER, [], cleanEnv({ DATA_DIR: dataDir, PORT: String(port) }));
    try {
      await server.waitFor('Hitch is listening on');
      // Users exist already: no admin is made up.
      expect(server.stdout()).not.toContain('admin@hitch.local');
      const login = await fetch(`http://127.0.0.1:${port}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'ada@example.com', password: 'analytical engine' }),
      });
      expect(login.status).toBe(200);
      expect((await login.json()).teams).toEqual([expect.objectContaining({ name: 'Engines', role: 'owner' })]);
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
    }
  });

  it('prints the effective configuration with secrets masked', async () => {
    const dataDir = tempDir();
    dirs.push(dataDir);
    const key = Buffer.alloc(32, 7).toString('base64');
    const result = await hitch(['config'], {
      DATA_DIR: dataDir,
      HITCH_MASTER_KEY: key,
      HITCH_ADMIN_EMAIL: 'a@b.c',
      HITCH_ADMIN_PASSWORD: 'top secret pw',
      DATABASE_URL: 'postgres://hitch:dbpass@db.internal:5432/hitch',
    });
    expect(result.code).toBe(0);
    const shown = JSON.parse(result.out);
    expect(shown.port).toBe(8080);
    expect(shown.admin.email).toBe('a@b.c');
    for (const secret of [key, 'top secret pw', 'dbpass']) expect(result.out).not.toContain(secret);
  });

  it('delegates keys to the key commands', { timeout: 60_000 }, async () => {
    const dataDir = tempDir();
    dirs.push(dataDir);
    const result = await hitch(['keys', 'status'], { DATA_DIR: dataDir });
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/data key/i);
  });

  it(
    'stops quietly when whatever reads its output goes away (hitch keys status | head)',
    { timeout: 60_000 },
    async () => {
      const dataDir = tempDir();
      dirs.push(dataDir);
      const spawned = run(CLI, ['keys', 'status'], cleanEnv({ DATA_DIR: dataDir }));
      // The reader closes before a line is written, as `| head -0` or a closed pager would.
      spawned.child.stdout?.destroy();
      expect(await spawned.exited).toBe(0);
      expect(spawned.stderr()).not.toMatch(/EPIPE|Unhandled/);
    },
  );

  it('answers mistakes with one line and exit code 1', async () => {
    const dataDir = tempDir();
    dirs.push(dataDir);
    for (const args of [
      ['nonsense'],
      ['create-user', '--email', 'x@y.z', '--pasword', 'typo typo'],
      ['create-user', '--email', 'not-an-email'],
    ]) {
      const result = await hitch(args, { DATA_DIR: dataDir });
      expect(result.code).toBe(1);
      expect(result.err.split('\n').filter(Boolean)).toHaveLength(1);
      expect(result.err).toMatch(/^hitch: /);
    }
  });
});
