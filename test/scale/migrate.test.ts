import fs from 'node:fs';
import { Writable } from 'node:stream';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run.ts';
import { loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/log.ts';
import { startHitch, type RunningHitch } from '../../src/server.ts';
import { connect, openOAuthWorld, type OAuthWorld } from '../connections/harness.ts';
import { PASSWORD } from '../http/app.ts';
import { sqliteTestStore } from '../helpers/store.ts';
import { freePort } from '../process/spawn.ts';
import { Browser, freshDatabase } from './cluster.ts';

function sink(): { stream: Writable; text(): string } {
  let text = '';
  return {
    stream: new Writable({
      write(chunk: Buffer, _encoding, done) {
        text += chunk.toString('utf8');
        done();
      },
    }),
    text: () => text,
  };
}

const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

describe('npm run hitch -- migrate-to-postgres', () => {
  it(
    'carries a populated SQLite database across, secrets still encrypted, and every connection still verifies',
    { timeout: 120_000 },
    async () => {
      const w: OAuthWorld = await openOAuthWorld(sqliteTestStore);
      cleanups.push(() => w.close());
      const ids: string[] = [];
      for (const login of ['alice@example.com', 'bob@example.com', 'alice@example.com']) {
        const { id, callbackStatus } = await connect(w, {}, { login });
        expect(callbackStatus).toBe(200);
        ids.push(id);
      }
      const key = (w.t.config.masterKey as { base64: string }).base64;
      const db = await freshDatabase();
      cleanups.push(() => db.drop());

      const out = sink();
      const err = sink();
      const env = { DATABASE_URL: `sqlite:${w.t.store.file!}`, HITCH_MASTER_KEY: key };
      expect(await runCli(['migrate-to-postgres', '--to', db.url], { out: out.stream, err: err.stream, env })).toBe(0);
      expect(err.text()).toBe('');
      expect(out.text()).toMatch(/connections: 3 rows/);
      expect(out.text()).toMatch(/data_keys: \d+ row/);

      // No token travels in clear: the ciphertext is what the target holds.
      const target = new pg.Client({ connectionString: db.url });
      await target.connect();
      const { rows } = await target.query<{ row: string }>('select row_to_json(c)::text as row from connections c');
      // Analyzed as after a restore, so the first sweeps plan with real statistics.
      const analyzed = await target.query<{ relname: string }>(
        "select relname from pg_stat_user_tables where relname in ('connections', 'data_keys') and last_analyze is not null order by relname",
      );
      await target.end();
      expect(analyzed.rows.map((r) => r.relname)).toEqual(['connections', 'data_keys']);
      expect(rows).toHaveLength(3);
      const secrets = w.server.issuedSecrets();
      expect(secrets.length).toBeGreaterThan(0);
      for (const { row } of rows) for (const secret of secrets) expect(row).not.toContain(secret);

      // A second run refuses the now non-empty target.
      const again = sink();
      expect(
        await runCli(['migrate-to-postgres', '--to', db.url], { out: again.stream, err: sink().stream, env }),
      ).toBe(1);
      expect(again.text()).toMatch(/already holds data/);

      // Hitch on PostgreSQL with the same master key: the same people sign in, and every connection verifies.
      const port = await freePort();
      const publicUrl = `http://127.0.0.1:${port}`;
      const client = w.server.client('client_secret_post');
      // The platform's OAuth client comes from the process environment, as in a deployment.
      process.env.HITCH_APP_TESTIDP_CLIENT_ID = client.clientId;
      process.env.HITCH_APP_TESTIDP_CLIENT_SECRET = client.clientSecret;
      cleanups.push(async () => {
        delete process.env.HITCH_APP_TESTIDP_CLIENT_ID;
        delete process.env.HITCH_APP_TESTIDP_CLIENT_SECRET;
      });
      const hitch: RunningHitch = await startHitch(
        loadConfig({
          DATABASE_URL: db.url,
          HITCH_MASTER_KEY: key,
          PORT: String(port),
          PUBLIC_URL: publicUrl,
          DATA_DIR: fs.mkdtempSync('/tmp/hitch-migrated-'),
          HITCH_APPS_DIR: w.appsDir,
          HITCH_ALLOW_PRIVATE_NETWORK: 'true',
        }),
        { log: createLogger('silent'), out: sink().stream },
      );
      cleanups.push(() => hitch.close());
      const browser = new Browser(publicUrl);
      await browser.signIn(w.user.user.email, PASSWORD);
      for (const id of ids) {
        const verified = await browser.request('POST', `/api/v1/connections/${id}/verify`);
        expect(verified.status, verified.text).toBe(200);
        expect(verified.json.verified, verified.text).toBe(true);
        const { json } = await browser.request('GET', `/api/v1/connections/${id}`);
        expect(json.status, JSON.stringify({ verify: verified.json, lastError: json.lastError })).toBe('active');
      }
      expect(w.server.grants.invalid_grant).toBe(0);
    },
  );
});
