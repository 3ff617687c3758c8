/**
 * Crashes: the real server process is killed with SIGKILL at each step of the
 * OAuth callback and of a refresh with rotation (HITCH_DANGEROUSLY_CRASH_AT, a
 * test-only hook in src/dangerous-crash.ts), then started again on the same
 * database. After each restart the database is consistent: no half token set,
 * no lease held past its deadline, and a connection whose freshly rotated
 * refresh token died with the process says so and asks to be reauthorized.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { secretContext, type ConnectionSecrets } from '../../src/connections/model.ts';
import { REFRESH_LEASE_MS } from '../../src/connections/renewal.ts';
import type { CrashPoint } from '../../src/dangerous-crash.ts';
import { openStore, type Store } from '../../src/store/database.ts';
import { createVault } from '../../src/vault/vault.ts';
import { APP_ID, testApp } from '../connections/harness.ts';
import { TEST_PG_URL } from '../helpers/store.ts';
import { startOAuthServer, type OAuthServer } from '../peers/oauth-server.ts';
import { cleanEnv, freePort, run, SERVER, tempDir, type Spawned } from '../process/spawn.ts';
import { record } from './figures.ts';
import { maybe } from '../helpers/maybe.ts';

const ADMIN = { email: 'crash@example.com', password: 'crash test password' };

interface Target {
  name: 'sqlite' | 'postgres';
  databaseUrl: string;
  database: { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string };
  drop(): Promise<void>;
}

async function sqliteTarget(dir: string): Promise<Target> {
  const file = path.join(dir, 'hitch.sqlite');
  return {
    name: 'sqlite',
    databaseUrl: `sqlite:${file}`,
    database: { kind: 'sqlite', file },
    drop: async () => undefined,
  };
}

async function postgresTarget(): Promise<Target> {
  // A database of its own: the server runs its migrations and pg-boss there as in production.
  const name = `hitch_crash_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: TEST_PG_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(TEST_PG_URL);
  url.pathname = `/${name}`;
  return {
    name: 'postgres',
    databaseUrl: url.href,
    database: { kind: 'postgres', url: url.href },
    async drop() {
      const client = new pg.Client({ connectionString: TEST_PG_URL });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    },
  };
}

describe.each(['sqlite', 'postgres'] as const)('crashes on %s', (dialect) => {
  let server: OAuthServer;
  let target: Target;
  let dir: string;
  let port: number;
  let base: string;
  let env: Record<string, string>;
  let masterKey: Buffer;
  let store: Store | undefined;
  let current: Spawned | undefined;
  let cookie = '';

  beforeAll(async () => {
    dir = tempDir();
    port = await freePort();
    base = `http://127.0.0.1:${port}`;
    server = await startOAuthServer({ redirectUris: [`${base}/oauth/callback`], accessTokenTtlSeconds: 600 });
    const appsDir = path.join(dir, 'apps');
    fs.mkdirSync(appsDir);
    fs.writeFileSync(path.join(appsDir, `${APP_ID}.json`), JSON.stringify(testApp(server)));
    target = dialect === 'sqlite' ? await sqliteTarget(dir) : await postgresTarget();
    masterKey = randomBytes(32);
    const client = server.client('client_secret_post');
    env = {
      PORT: String(port),
      HOST: '127.0.0.1',
      PUBLIC_URL: base,
      DATA_DIR: path.join(dir, 'data'),
      DATABASE_URL: target.databaseUrl,
      HITCH_MASTER_KEY: masterKey.toString('base64'),
      HITCH_ADMIN_EMAIL: ADMIN.email,
      HITCH_ADMIN_PASSWORD: ADMIN.password,
      HITCH_APPS_DIR: appsDir,
      HITCH_ALLOW_PRIVATE_NETWORK: 'true',
      HITCH_APP_TESTIDP_CLIENT_ID: client.clientId,
      HITCH_APP_TESTIDP_CLIENT_SECRET: client.clientSecret,
      // Renewals happen when this test asks for them, not when a sweep happens to run.
      HITCH_REFRESH_SWEEP_SECONDS: '3600',
      LOG_LEVEL: 'warn',
    };
  }, 60_000);

  afterAll(async () => {
    if (current && current.child.exitCode === null && current.child.signalCode === null) {
      current.child.kill('SIGTERM');
      await current.exited;
    }
    await store?.close();
    await maybe(target)?.drop();
    await maybe(server)?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function start(crashAt?: CrashPoint): Promise<void> {
    if (current && current.child.exitCode === null && current.child.signalCode === null) {
      current.child.kill('SIGTERM');
      await current.exited;
    }
    // The crash hook is accepted only in a test run (config.ts); said here rather than inherited from Vitest.
    current = run(
      SERVER,
      [],
      cleanEnv({ ...env, ...(crashAt ? { NODE_ENV: 'test', HITCH_DANGEROUSLY_CRASH_AT: crashAt } : {}) }),
    );
    await current.waitFor('Hitch is listening on');
    if (!cookie) {
      const login = await call('POST', '/api/v1/auth/login', ADMIN);
      expect(login.status).toBe(200);
      cookie = login.headers
        .getSetCookie()
        .map((c) => c.split(';')[0])
        .join('; ');
    }
  }

  function call(method: string, url: string, body?: unknown): Promise<Response> {
    return fetch(`${base}${url}`, {
      method,
      headers: {
        origin: base,
        ...(cookie ? { cookie } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      redirect: 'manual',
    });
  }

  /** Sends a request the server dies during; resolves once the process is gone. */
  async function crashDuring(request: () => Promise<Response>): Promise<void> {
    const outcome = await request().then(
      (r) => `answered ${r.status}`,
      () => 'connection lost',
    );
    await current!.exited;
    expect(
      current!.child.signalCode,
      `the server should have been killed, but the request ${outcome}; stderr: ${current!.stderr()}`,
    ).toBe('SIGKILL');
    record('crashesSurvived');
  }

  async function db(): Promise<Store> {
    store ??= openStore(target.database);
    return store;
  }
  async function row(id: string) {
    return (await db()).db.selectFrom('connections').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  }
  async function secrets(id: string): Promise<ConnectionSecrets | null> {
    const r = await row(id);
    if (!r.secrets_enc) return null;
    const vault = await createVault({ store: await db(), masterKey, reloadIntervalMs: 0 });
    try {
      return await vault.decryptJson<ConnectionSecrets>(r.secrets_enc, secretContext(id));
    } finally {
      vault.close();
    }
  }
  async function makeDue(id: string) {
    await (
      await db()
    ).db
      .updateTable('connections')
      .set({ next_refresh_at: Date.now() - 1 })
      .where('id', '=', id)
      .execute();
  }
  /** Every lease in the database is released or already past its deadline. */
  async function noLeaseStuck() {
    const rows = await (await db()).db.selectFrom('connections').select(['id', 'refreshing_until']).execute();
    for (const r of rows)
      expect(r.refreshing_until === null || r.refreshing_until <= Date.now() + REFRESH_LEASE_MS).toBe(true);
  }
  /** A complete token set or none: never an access token without its refresh token, or the reverse. */
  function wholeOrNone(s: ConnectionSecrets | null) {
    expect(Boolean(s?.accessToken)).toBe(Boolean(s?.refreshToken));
  }
  async function authorizeAt(authorizeUrl: string): Promise<string> {
    return (await server.authorize(authorizeUrl, { login: 'alice@example.com', consent: true })).callbackUrl;
  }

  it('survives SIGKILL at each step of the callback and of a refresh with rotation', { timeout: 120_000 }, async () => {
    // 1. Killed after the service issued tokens, before they were stored.
    await start('callback:after-exchange');
    const created = await call('POST', '/api/v1/connections', { app: APP_ID });
    expect(created.status).toBe(201);
    const a = (await created.json()) as { connection: { id: string }; authorizeUrl: string };
    const firstCallback = await authorizeAt(a.authorizeUrl);
    await crashDuring(() => fetch(firstCallback, { headers: { cookie }, redirect: 'manual' }));
    expect((await row(a.connection.id)).status).toBe('pending');
    expect(await secrets(a.connection.id)).toBeNull();

    // 2. After restart the used callback cannot be replayed; a new authorization of the same id is killed right after the write.
    await start('callback:after-write');
    const replay = await fetch(firstCallback, { headers: { cookie }, redirect: 'manual' });
    expect(replay.status).toBe(400);
    expect((await row(a.connection.id)).status).toBe('pending');
    const reauth = await call('POST', `/api/v1/connections/${a.connection.id}/reauthorize`, {});
    expect(reauth.status).toBe(200);
    const secondCallback = await authorizeAt(((await reauth.json()) as { authorizeUrl: string }).authorizeUrl);
    await crashDuring(() => fetch(secondCallback, { headers: { cookie }, redirect: 'manual' }));
    let stored = await secrets(a.connection.id);
    expect((await row(a.connection.id)).status).toBe('active');
    wholeOrNone(stored);
    expect(stored?.refreshToken).toBe(server.issued.refreshTokens.at(-1));

    // 3. Killed after the service rotated the refresh token, before the new one was stored: the rotated token is lost.
    await start('refresh:after-response');
    const beforeRefresh = stored;
    await makeDue(a.connection.id);
    const killedAt = Date.now();
    const refreshesBefore = server.grants.refresh_token;
    await crashDuring(() => call('POST', `/api/v1/connections/${a.connection.id}/verify`));
    expect(server.grants.refresh_token).toBe(refreshesBefore + 1);
    expect(await secrets(a.connection.id)).toEqual(beforeRefresh);
    const leased = await row(a.connection.id);
    expect(leased.status).toBe('active');
    // The dead process's lease ends at its deadline, no later…
    expect(leased.refreshing_until).not.toBeNull();
    expect(leased.refreshing_until!).toBeLessThanOrEqual(killedAt + REFRESH_LEASE_MS + 1_000);
    await noLeaseStuck();
    // …which this test does not wait for: the clock moves past it.
    await (
      await db()
    ).db
      .updateTable('connections')
      .set({ refreshing_until: Date.now() - 1 })
      .where('id', '=', a.connection.id)
      .execute();

    // 4. After restart the old refresh token is refused (the server revokes the grant): reauthorization_required, saying why.
    await start('refresh:after-write');
    const verified = await call('POST', `/api/v1/connections/${a.connection.id}/verify`);
    expect(verified.status).toBe(200);
    expect(((await verified.json()) as { verified: boolean }).verified).toBe(false);
    const shown = (await (await call('GET', `/api/v1/connections/${a.connection.id}`)).json()) as {
      status: string;
      lastError: { code: string; message: string };
    };
    expect(shown.status).toBe('reauthorization_required');
    expect(shown.lastError.code).toBe('renewal_interrupted');
    expect(shown.lastError.message).toMatch(/interrupted.*reauthorize/i);
    expect((await row(a.connection.id)).refreshing_until).toBeNull();

    // A second connection is killed right after a rotated token set was stored.
    const createdB = await call('POST', '/api/v1/connections', { app: APP_ID, name: 'Second' });
    const b = (await createdB.json()) as { connection: { id: string }; authorizeUrl: string };
    const callbackB = await fetch(await authorizeAt(b.authorizeUrl), { headers: { cookie }, redirect: 'manual' });
    expect(callbackB.status).toBe(200);
    const beforeB = await secrets(b.connection.id);
    await makeDue(b.connection.id);
    await crashDuring(() => call('POST', `/api/v1/connections/${b.connection.id}/verify`));
    stored = await secrets(b.connection.id);
    wholeOrNone(stored);
    expect(stored?.accessToken).not.toBe(beforeB?.accessToken);
    expect(stored?.refreshToken).toBe(server.issued.refreshTokens.at(-1));
    expect((await row(b.connection.id)).refreshing_until).toBeNull();

    // 5. A normal start: the stored rotated token is the live one, and renews again without invalid_grant.
    await start();
    const invalidGrantsBefore = server.grants.invalid_grant;
    await makeDue(b.connection.id);
    const again = await call('POST', `/api/v1/connections/${b.connection.id}/verify`);
    expect(((await again.json()) as { verified: boolean }).verified).toBe(true);
    expect(server.grants.invalid_grant).toBe(invalidGrantsBefore);
    expect((await row(b.connection.id)).status).toBe('active');
    // The interrupted connection recovers by reauthorizing, on the same id.
    const recover = await call('POST', `/api/v1/connections/${a.connection.id}/reauthorize`, {});
    const recovered = await fetch(
      await authorizeAt(((await recover.json()) as { authorizeUrl: string }).authorizeUrl),
      { headers: { cookie }, redirect: 'manual' },
    );
    expect(recovered.status).toBe(200);
    expect((await row(a.connection.id)).status).toBe('active');
    await noLeaseStuck();
  });
});
