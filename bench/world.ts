import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import pg from 'pg';
import type { AppInput } from '../src/catalog/schema.ts';
import type { Connections } from '../src/connections/index.ts';
import type { Store } from '../src/store/database.ts';
import type { Vault, VaultAdmin } from '../src/vault/types.ts';
import { built, buildIfStale } from './product.ts';

buildIfStale();
const { loadCatalog } = await built<typeof import('../src/catalog/catalog.ts')>('catalog/catalog');
const { loadConfig } = await built<typeof import('../src/config.ts')>('config');
const { createConnections } = await built<typeof import('../src/connections/index.ts')>('connections/index');
const { secretContext } = await built<typeof import('../src/connections/model.ts')>('connections/model');
const { newId } = await built<typeof import('../src/ids.ts')>('ids');
const { createInProcessJobs } = await built<typeof import('../src/jobs/in-process.ts')>('jobs/in-process');
const { createLogger } = await built<typeof import('../src/log.ts')>('log');
const { createOutbound } = await built<typeof import('../src/outbound/client.ts')>('outbound/client');
const { openStore } = await built<typeof import('../src/store/database.ts')>('store/database');
const { createVault } = await built<typeof import('../src/vault/vault.ts')>('vault/vault');

/** The build's pieces, for the probe processes that assemble Hitch's core on their own. */
export { createConnections, createLogger, createOutbound, createVault, loadCatalog, loadConfig, openStore };

export const BENCH_PG_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/**
 * A local token endpoint as fast as Node serves JSON (bench/servers/token-endpoint.mjs), in a
 * process of its own like every server the benchmarks measure against: the ceiling for refresh throughput.
 */
export async function startTokenEndpoint(): Promise<{
  url: string;
  calls: () => Promise<number>;
  close(): Promise<void>;
}> {
  const child = fork(path.join(path.dirname(fileURLToPath(import.meta.url)), 'servers', 'token-endpoint.mjs'), [], {
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const { port } = await new Promise<{ port: number }>((resolve, reject) => {
    child.once('message', (message) => resolve(message as { port: number }));
    child.once('exit', (code) => reject(new Error(`the token endpoint exited with ${String(code)}`)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    calls: () =>
      new Promise<number>((resolve) => {
        child.once('message', (message) => resolve((message as { calls: number }).calls));
        child.send('calls');
      }),
    close: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill();
      }),
  };
}

export function benchApp(tokenUrl: string): AppInput {
  return {
    id: 'bench',
    name: 'Bench',
    connections: [
      {
        type: 'oauth2',
        authorizeUrl: `${tokenUrl}/authorize`,
        tokenUrl: `${tokenUrl}/token`,
        baseUrl: tokenUrl,
        pkce: false,
      },
    ],
  };
}

export interface BenchWorld {
  store: Store;
  /** For a second process opening the same data (base64). */
  masterKeyBase64: string;
  /** Where the raw floor reads from. */
  sqliteFile?: string;
  pgSchema?: string;
  vault: Vault & VaultAdmin;
  connections: Connections;
  teamId: string;
  /** Inserts `count` active connections with valid (or expired) tokens, in batches. */
  seed(
    count: number,
    options?: { expired?: boolean; onProgress?: (done: number) => void; app?: string },
  ): Promise<string[]>;
  close(): Promise<void>;
}

export async function openBenchWorld(
  kind: 'sqlite' | 'postgres',
  tokenUrl: string,
  options: { cacheSize?: number } = {},
): Promise<BenchWorld> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hitch-bench-'));
  let schema: string | undefined;
  let store: Store;
  if (kind === 'sqlite') {
    store = openStore({ kind: 'sqlite', file: path.join(dir, 'hitch.sqlite') });
  } else {
    schema = `hitch_bench_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
    const admin = new pg.Client({ connectionString: BENCH_PG_URL });
    await admin.connect();
    await admin.query(`create schema ${schema}`);
    await admin.end();
    store = openStore({ kind: 'postgres', url: BENCH_PG_URL }, { schema });
  }
  await store.migrate();
  const masterKey = randomBytes(32);
  const vault = await createVault({ store, masterKey: Buffer.from(masterKey), reloadIntervalMs: 0 });
  const log = createLogger('silent');
  const config = loadConfig({
    DATA_DIR: dir,
    HITCH_ALLOW_PRIVATE_NETWORK: 'true',
    HITCH_MASTER_KEY: randomBytes(32).toString('base64'),
    HITCH_CREDENTIAL_CACHE_SIZE: String(options.cacheSize ?? 10_000),
  });
  const outbound = createOutbound({ network: config.network, log });
  const catalog = loadCatalog({ appsDir: null, extraApps: [benchApp(tokenUrl)] });
  const env = { HITCH_APP_BENCH_CLIENT_ID: 'bench-client', HITCH_APP_BENCH_CLIENT_SECRET: 'bench-secret' };
  const connections = createConnections({ config, store, vault, outbound, catalog, log, env });
  // As the server does (scheduleConnectionJobs): every renewal's event then asks whether its team has a
  // webhook, which the product's sweep pays. Not started: the sweeps here are called directly.
  connections.webhooks.attachJobs(createInProcessJobs({ log }));
  const teamId = newId();
  await store.db.insertInto('teams').values({ id: teamId, name: 'Bench', created_at: Date.now() }).execute();

  return {
    store,
    masterKeyBase64: masterKey.toString('base64'),
    ...(kind === 'sqlite' ? { sqliteFile: path.join(dir, 'hitch.sqlite') } : {}),
    ...(schema ? { pgSchema: schema } : {}),
    vault,
    connections,
    teamId,
    async seed(count, seedOptions = {}) {
      const ids: string[] = [];
      const batch = 1000;
      for (let start = 0; start < count; start += batch) {
        const rows = [];
        const now = Date.now();
        for (let i = start; i < Math.min(count, start + batch); i++) {
          const id = newId(now);
          ids.push(id);
          const expiresAt = seedOptions.expired ? now - 1000 : now + 3_600_000;
          rows.push({
            id,
            team_id: teamId,
            app: seedOptions.app ?? (i % 2 === 0 ? 'bench' : 'http'),
            auth: 'oauth2',
            name: `Connection ${i}`,
            status: 'active' as const,
            account_id: `acct-${i}`,
            account_label: `user${i}@example.com`,
            scopes: '["read"]',
            data: '{"parameters":{},"learned":{}}',
            secrets_enc: vault.encryptJson(
              {
                accessToken: `access-${i}-${randomBytes(12).toString('hex')}`,
                refreshToken: `refresh-${i}-${randomBytes(12).toString('hex')}`,
                tokenType: 'bearer',
                parameters: {},
              },
              secretContext(id),
            ),
            expires_at: expiresAt,
            next_refresh_at: expiresAt - 300_000,
            refreshing_until: null,
            retry_at: null,
            renew_by: null,
            last_verified_at: now,
            last_error: null,
            created_by: null,
            created_at: now,
            updated_at: now,
          });
        }
        await store.db.insertInto('connections').values(rows).execute();
        seedOptions.onProgress?.(Math.min(count, start + batch));
      }
      // Statistics as autovacuum keeps them (it analyzes a table within a minute of such an insert):
      // a table never analyzed gets default selectivities, which make PostgreSQL sort every due row
      // on each claim instead of walking the next-refresh index.
      if (kind === 'postgres') await sql`analyze connections`.execute(store.db);
      return ids;
    },
    async close() {
      vault.close();
      await outbound.close();
      await store.close();
      if (schema) {
        const admin = new pg.Client({ connectionString: BENCH_PG_URL });
        await admin.connect();
        await admin.query(`drop schema if exists ${schema} cascade`);
        await admin.end();
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
