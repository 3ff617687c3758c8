import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_ID, sleep } from '../connections/harness.ts';
import type { OAuthServer } from '../peers/oauth-server.ts';
import {
  CLUSTER_ADMIN as ADMIN,
  startCluster,
  stopInstances,
  type Browser,
  type Balancer,
  type Cluster,
  type freshDatabase,
  type Instance,
} from './cluster.ts';
import { maybe } from '../helpers/maybe.ts';

/**
 * With no traffic at all, the proactive sweep alone keeps 50 connections fresh
 * while their tokens live a few seconds, and three instances make one sweep
 * per period between them, not one each.
 */
const TOKEN_TTL_S = 6;
const SWEEP_S = 1;
const CONNECTIONS = 50;
const WINDOW_MS = 15_000;

let db: Awaited<ReturnType<typeof freshDatabase>>;
let sql: pg.Client;
let server: OAuthServer;
let balancer: Balancer;
let instances: Instance[] = [];
let cluster: Cluster;
let browser: Browser;

beforeAll(async () => {
  cluster = await startCluster({ tokenTtlSeconds: TOKEN_TTL_S, sweepSeconds: SWEEP_S });
  ({ db, server, balancer, instances, browser } = cluster);
  await browser.signIn(ADMIN.email, ADMIN.password);
  sql = new pg.Client({ connectionString: db.url });
  await sql.connect();
}, 120_000);

afterAll(async () => {
  await maybe(sql)?.end();
  await maybe(cluster)?.close();
});

async function connectOne(): Promise<string> {
  const created = await browser.request('POST', '/api/v1/connections', { app: APP_ID });
  if (created.status !== 201) throw new Error(`create failed: ${created.status} ${created.text}`);
  const { callbackUrl } = await server.authorize(created.json.authorizeUrl, {
    login: 'alice@example.com',
    consent: true,
  });
  const callback = await browser.request('GET', callbackUrl.slice(balancer.url.length));
  if (callback.status !== 200) throw new Error(`callback failed: ${callback.status}`);
  return created.json.connection.id as string;
}

describe('the refresh sweep on three instances', () => {
  it(
    `keeps ${CONNECTIONS} connections fresh without traffic, one refresh per connection when due and one sweep per period`,
    { timeout: 120_000 },
    async () => {
      const ids: string[] = [];
      for (let i = 0; i < CONNECTIONS; i += 10)
        ids.push(...(await Promise.all(Array.from({ length: Math.min(10, CONNECTIONS - i) }, connectOne))));

      const start = Date.now();
      while (Date.now() - start < WINDOW_MS) {
        await sleep(1000);
        const { rows } = await sql.query<{ stale: string }>(
          `select count(*) as stale from connections where status <> 'active' or expires_at <= $1`,
          [Date.now()],
        );
        // Nothing ever lapses: every token is renewed before it expires.
        expect(Number(rows[0]!.stale)).toBe(0);
      }
      const end = Date.now();
      // Stopped gracefully, every renewal in flight finishes and is stored: the server's count and ours can be compared.
      await stopInstances(instances);

      expect(server.grants.invalid_grant).toBe(0);
      const { rows: all } = await sql.query<{ n: string }>(
        `select count(*) as n from events where type = 'connection.refreshed'`,
      );
      // Every grant the server answered became exactly one stored renewal: none wasted, none repeated.
      expect(server.grants.refresh_token).toBe(Number(all[0]!.n));
      const { rows: refreshed } = await sql.query<{ connection_id: string; n: string }>(
        `select connection_id, count(*) as n from events where type = 'connection.refreshed' and at >= $1 and at <= $2 group by connection_id`,
        [start, end],
      );
      const perConnection = new Map(refreshed.map((r) => [r.connection_id, Number(r.n)]));
      // A token is due at half its life, so no connection can rightly be renewed more often than that.
      const mostPerConnection = Math.ceil((end - start) / ((TOKEN_TTL_S * 1000) / 2)) + 1;
      for (const id of ids) {
        expect(perConnection.get(id) ?? 0).toBeGreaterThanOrEqual(2);
        expect(perConnection.get(id) ?? 0).toBeLessThanOrEqual(mostPerConnection);
      }

      // One sweep per period between the three instances, not one each.
      const { rows: sweeps } = await sql.query<{ n: string; slots: string }>(
        `select count(*) as n, count(distinct singleton_on) as slots from pgboss.job where name = 'connections.refresh-sweep' and created_on >= to_timestamp($1 / 1000.0) and created_on <= to_timestamp($2 / 1000.0)`,
        [start, end],
      );
      expect(Number(sweeps[0]!.n)).toBe(Number(sweeps[0]!.slots));
      expect(Number(sweeps[0]!.n)).toBeLessThanOrEqual(Math.ceil((end - start) / (SWEEP_S * 1000)) + 1);
    },
  );
});
