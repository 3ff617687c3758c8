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

describe('npm run hitch -- apps', () => {
  const app = (id: string, extra: Record<string, unknown> = {}) => ({
    id,
    name: id.toUpperCase(),
    category: 'In-house',
    connections: [
      {
        type: 'apiKey',
        keys: [{ parameter: 'key', name: 'X-Key' }],
        baseUrl: 'https://api.example.com',
        parameters: [{ name: 'key', label: 'Key', secret: true, required: true }],
      },
    ],
    ...extra,
  });

  it('checks a folder without a server or a database: every problem, exit 1; a summary, exit 0', async () => {
    const dataDir = tempDir();
    const appsDir = tempDir();
    dirs.push(dataDir, appsDir);
    fs.writeFileSync(`${appsDir}/good.json`, JSON.stringify(app('good')));
    fs.writeFileSync(`${appsDir}/bad.json`, JSON.stringify(app('bad', { name: '', docsUrl: 'nope' })));
    fs.writeFileSync(`${appsDir}/broken.json`, '{"id": "broken",\n  "name": }');
    const bad = await hitch(['apps', 'check', appsDir], { DATA_DIR: dataDir });
    expect(bad.code).toBe(1);
    expect(bad.out.split('\n')).toEqual([
      `${appsDir}/bad.json: name: must not be empty`,
      expect.stringMatching(new RegExp(`^${appsDir}/bad\\.json: docsUrl: `)),
      `${appsDir}/broken.json: is not valid JSON at line 2, column 11: expected a value`,
      '3 problems in 2 files',
      '',
    ]);
    expect(fs.readdirSync(dataDir)).toEqual([]);

    fs.rmSync(`${appsDir}/bad.json`);
    fs.rmSync(`${appsDir}/broken.json`);
    const good = await hitch(['apps', 'check', appsDir], { DATA_DIR: dataDir });
    expect(good).toEqual({ code: 0, out: `${appsDir}: 1 app, every one valid\n`, err: '' });
    const builtIn = await hitch(['apps', 'check', 'apps'], { DATA_DIR: dataDir });
    expect(builtIn.code).toBe(0);
    expect(builtIn.out).toMatch(/^apps: \d+ apps, every one valid\n$/);
    expect(fs.readdirSync(dataDir)).toEqual([]);
  });

  it('lists the catalog with HITCH_APPS_DIR by kind and category, and stops on a bad file with every problem', async () => {
    const appsDir = tempDir();
    dirs.push(appsDir);
    fs.writeFileSync(`${appsDir}/one.json`, JSON.stringify(app('in-house-one')));
    fs.writeFileSync(`${appsDir}/two.json`, JSON.stringify(app('in-house-two')));
    const builtIn = await hitch(['apps', 'list'], {});
    const withOwn = await hitch(['apps', 'list'], { HITCH_APPS_DIR: appsDir });
    expect(withOwn.code).toBe(0);
    const total = (out: string) => Number(/^(\d+) apps, from /.exec(out)?.[1]);
    const count = (out: string, row: string) => Number(new RegExp(`^  ${row} +(\\d+)$`, 'm').exec(out)?.[1] ?? 0);
    expect(total(withOwn.out)).toBe(total(builtIn.out) + 2);
    expect(withOwn.out).toContain(`from the built-in catalog and ${appsDir}`);
    expect(count(withOwn.out, 'In-house')).toBe(2);
    expect(count(withOwn.out, 'apiKey')).toBe(count(builtIn.out, 'apiKey') + 2);
    expect(count(withOwn.out, 'oauth2')).toBeGreaterThan(0);

    fs.writeFileSync(`${appsDir}/three.json`, JSON.stringify(app('three', { extends: 'nope', scopes: 'x' })));
    const stopped = await hitch(['apps', 'list'], { HITCH_APPS_DIR: appsDir });
    expect(stopped.code).toBe(1);
    expect(stopped.err).toBe(
      `hitch: An app file is not valid: ${appsDir}/three.json: extends: there is no preset "nope"; the presets are: atlassian, google, microsoft\n`,
    );
  });
});

describe('starting with a bad HITCH_APPS_DIR', () => {
  it('stops before serving, listing every problem of every file, one per line', async () => {
    const dataDir = tempDir();
    const appsDir = tempDir();
    dirs.push(dataDir, appsDir);
    fs.writeFileSync(`${appsDir}/a.json`, JSON.stringify({ id: 'a', name: '', connections: [] }));
    fs.writeFileSync(`${appsDir}/b.json`, JSON.stringify({ extends: 'microsoft', id: 'b', name: 'B', scope: [] }));
    const server = run(
      SERVER,
      [],
      cleanEnv({ DATA_DIR: dataDir, PORT: String(await freePort()), HITCH_APPS_DIR: appsDir }),
    );
    expect(await server.exited).toBe(1);
    expect(server.stderr()).toBe(
      [
        'hitch: The app files have 3 problems:',
        `  ${appsDir}/a.json: name: must not be empty`,
        `  ${appsDir}/a.json: connections: needs at least one entry`,
        `  ${appsDir}/b.json: scope: is not a field here: check its spelling`,
        '',
      ].join('\n'),
    );
    expect(server.stdout()).not.toContain('listening');
    // Nothing was opened or created before the app files were read.
    expect(fs.readdirSync(dataDir)).toEqual([]);
  });
});
