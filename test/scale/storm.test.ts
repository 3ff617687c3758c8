import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_ID, sleep } from '../connections/harness.ts';
import type { OAuthServer } from '../peers/oauth-server.ts';
import {
  CLUSTER_ADMIN as ADMIN,
  startCluster,
  type Browser,
  type Balancer,
  type Cluster,
  type Instance,
} from './cluster.ts';
import { maybe } from '../helpers/maybe.ts';

/**
 * Three Hitch processes on one fresh PostgreSQL database behind a round-robin
 * balancer (no stickiness), against oidc-provider with refresh-token rotation:
 * a used refresh token that comes back revokes the grant, so any duplicate
 * refresh across instances would show as invalid_grant and a dead connection.
 */
const TOKEN_TTL_S = 16;
const STORM_CALLS = 300;

let server: OAuthServer;
let balancer: Balancer;
let instances: Instance[] = [];
let cluster: Cluster;
let browser: Browser;
let connectionId: string;

/** When the token Hitch holds now expires, as the API reports it. */
async function expiresAt(): Promise<number> {
  const { json } = await browser.request('GET', `/api/v1/connections/${connectionId}`);
  return Date.parse(json.expiresAt as string);
}

async function untilExpired(): Promise<void> {
  const at = await expiresAt();
  await sleep(Math.max(0, at - Date.now()) + 300);
}

/**
 * One call as a well-behaved client makes it: Hitch caps calls in progress per
 * team (429 with Retry-After), and the client waits and tries again.
 */
async function proxiedCall() {
  for (let attempt = 1; ; attempt++) {
    const answer = await browser.request('GET', `/api/v1/connections/${connectionId}/proxy/me`);
    if (answer.status !== 429 || attempt === 30) return answer;
    await sleep(Number(answer.headers.get('retry-after') ?? answer.json?.error?.retryAfterSeconds ?? 1) * 1000);
  }
}

/** `count` proxied calls at once, through the balancer; returns their statuses. */
async function storm(count: number): Promise<string[]> {
  const answers = await Promise.all(Array.from({ length: count }, () => proxiedCall()));
  // A status with the body, so a failure says what went wrong.
  return answers.map((a) => (a.status === 200 ? 'ok' : `${a.status} ${a.text.slice(0, 300)}`));
}

const failures = (answers: string[]) => answers.filter((a) => a !== 'ok');

beforeAll(async () => {
  cluster = await startCluster({ tokenTtlSeconds: TOKEN_TTL_S, sweepSeconds: 3600 });
  ({ server, balancer, instances, browser } = cluster);
}, 120_000);

afterAll(async () => {
  await maybe(cluster)?.close();
});

describe('three instances behind a round-robin balancer', () => {
  it(
    'signs in and completes the OAuth redirect flow, whichever instance each step reaches',
    { timeout: 60_000 },
    async () => {
      await browser.signIn(ADMIN.email, ADMIN.password);
      const created = await browser.request('POST', '/api/v1/connections', { app: APP_ID });
      expect(created.status).toBe(201);
      connectionId = created.json.connection.id;
      const { callbackUrl } = await server.authorize(created.json.authorizeUrl, {
        login: 'alice@example.com',
        consent: true,
      });
      expect(callbackUrl.startsWith(`${balancer.url}/oauth/callback?`)).toBe(true);
      const callback = await browser.request('GET', callbackUrl.slice(balancer.url.length));
      expect(callback.status).toBe(200);
      // Read it back several times: every instance sees the same state.
      for (let i = 0; i < 3; i++) {
        const { json } = await browser.request('GET', `/api/v1/connections/${connectionId}`);
        expect(json).toMatchObject({ status: 'active', account: { id: 'alice' } });
      }
      expect(server.grants.authorization_code).toBe(1);
    },
  );

  it(
    `after the access token expires, ${STORM_CALLS} concurrent proxied calls over three instances make exactly one refresh grant`,
    { timeout: 90_000 },
    async () => {
      await untilExpired();
      const before = { ...server.grants };
      const servedBefore = new Map(balancer.served);
      const statuses = await storm(STORM_CALLS);
      expect(failures(statuses)).toEqual([]);
      expect(server.grants.refresh_token - before.refresh_token).toBe(1);
      expect(server.grants.invalid_grant).toBe(0);
      // Every instance took its share of the storm.
      for (const { port } of instances)
        expect((balancer.served.get(port) ?? 0) - (servedBefore.get(port) ?? 0)).toBeGreaterThan(0);
    },
  );

  it(
    'keeps serving when one instance is killed during a burst, and the next storm still makes one refresh',
    { timeout: 90_000 },
    async () => {
      const victim = instances[2]!;
      const burst = storm(150);
      await sleep(50);
      victim.process.child.kill('SIGKILL');
      const statuses = await burst;
      // The balancer retries what the dead instance never answered; nothing is lost.
      expect(failures(statuses)).toEqual([]);
      await victim.process.exited;

      const servedAfterKill = new Map(balancer.served);
      await untilExpired();
      const before = { ...server.grants };
      const again = await storm(STORM_CALLS);
      expect(failures(again)).toEqual([]);
      expect(server.grants.refresh_token - before.refresh_token).toBe(1);
      expect(server.grants.invalid_grant).toBe(0);
      for (const { port } of instances.slice(0, 2))
        expect((balancer.served.get(port) ?? 0) - (servedAfterKill.get(port) ?? 0)).toBeGreaterThan(0);
      expect(balancer.served.get(victim.port)).toBe(servedAfterKill.get(victim.port));
      const { json } = await browser.request('GET', `/api/v1/connections/${connectionId}`);
      expect(json.status).toBe('active');
    },
  );

  it('serves the OpenAPI document, the docs page and metrics from any instance', { timeout: 30_000 }, async () => {
    const doc = await browser.request('GET', '/api/v1/openapi.json');
    expect(doc.status).toBe(200);
    expect(doc.json.openapi).toBe('3.1.0');
    expect(Object.keys(doc.json.paths)).toEqual(
      expect.arrayContaining(['/api/v1/connections/', '/api/v1/connections/{id}/verify']),
    );
    const metrics = await fetch(`http://127.0.0.1:${instances[0]!.port}/metrics`);
    expect(metrics.status).toBe(200);
    const text = await metrics.text();
    expect(text).toMatch(/hitch_connections\{status="active"\} 1/);
    expect(text).toMatch(
      /hitch_http_requests_total\{method="GET",route="\/api\/v1\/connections\/:id\/proxy\/\*",status="200"\} \d+/,
    );
    expect(text).toMatch(/hitch_outbound_requests_total\{app="testidp",status="200"\} \d+/);
    expect(text).toMatch(/hitch_jobs_waiting\{queue="connections.refresh-sweep"\} \d+/);
  });
});
