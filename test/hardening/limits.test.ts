/**
 * Limits that keep one caller from exhausting Hitch: connection creation per team
 * (429, counted in the database), and concurrent calls to services per team (429
 * beyond MAX_CONCURRENT_CALLS_PER_TEAM, while the service never sees more).
 * Body size (413) and header size are in hostile-input.property.test.ts; the
 * sign-in limits in test/http/rate-limit.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_CONCURRENT_CALLS_PER_TEAM } from '../../src/connections/team-gate.ts';
import { CONNECTION_CREATE_PER_TEAM } from '../../src/http/routes/connections.ts';
import { APP_ID, connect, otherUser } from '../connections/harness.ts';
import { sqliteTestStore } from '../helpers/store.ts';
import { PUBLIC_URL } from '../http/app.ts';
import { startFaultyService, type FaultyService } from '../peers/faulty-service.ts';
import { startOAuthServer, type OAuthServer } from '../peers/oauth-server.ts';
import { openHardenedWorld, type HardenedWorld } from './world.ts';

let server: OAuthServer;
let faulty: FaultyService;
let w: HardenedWorld;
beforeAll(async () => {
  server = await startOAuthServer({ redirectUris: [`${PUBLIC_URL}/oauth/callback`], accessTokenTtlSeconds: 600 });
  faulty = await startFaultyService({ '/me': server.userinfoEndpoint });
  w = await openHardenedWorld(sqliteTestStore, server, { appOverrides: { baseUrl: faulty.url('/api') }, http: { proxyTimeoutMs: 3_000 }, outboundTimeoutMs: 3_000 });
});
afterAll(async () => {
  await w?.close();
  await faulty?.close();
  await server?.close();
});

describe('limits', () => {
  it('refuses connection creation beyond the per-team limit with 429 and Retry-After, and only for that team', async () => {
    const create = (headers: Record<string, string>) => w.t.app.inject({ method: 'POST', url: '/api/v1/connections', headers, payload: { app: APP_ID } });
    for (let i = 0; i < CONNECTION_CREATE_PER_TEAM.limit; i++) expect((await create(w.headers)).statusCode).toBe(201);
    const refused = await create(w.headers);
    expect(refused.statusCode).toBe(429);
    expect(refused.json().error).toMatchObject({ code: 'rate_limited', message: expect.stringMatching(/too many connections/) });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    const listed = await w.t.app.inject({ method: 'GET', url: `/api/v1/connections?teamId=${w.teamId}&limit=100`, headers: w.headers });
    expect(listed.json().items).toHaveLength(CONNECTION_CREATE_PER_TEAM.limit);
    // Another team is not slowed by this one.
    const other = await otherUser(w);
    expect((await create(other.headers)).statusCode).toBe(201);
  });

  it('caps a team’s concurrent calls to services; the service never sees more than the cap', async () => {
    // A fresh team: the one above used up its creations.
    const other = await otherUser(w, 'Busy');
    const { id } = await connect({ ...w, headers: other.headers, pageHeaders: { cookie: other.cookie, host: new URL(PUBLIC_URL).host }, cookie: other.cookie });
    // The proxy takes API tokens only.
    const token = (await w.t.app.inject({ method: 'POST', url: '/api/v1/tokens', headers: other.headers, payload: { name: 'load' } })).json().token as string;
    const auth = { authorization: `Bearer ${token}` };
    faulty.arm('/api/slow', 'timeout');
    faulty.resetCounts();
    const calls = MAX_CONCURRENT_CALLS_PER_TEAM + 8;
    const answers = await Promise.all(
      Array.from({ length: calls }, () => w.t.app.inject({ method: 'GET', url: `/api/v1/connections/${id}/proxy/slow`, headers: auth })),
    );
    const statuses = answers.map((a) => a.statusCode);
    expect(faulty.count('/api/slow')).toBeLessThanOrEqual(MAX_CONCURRENT_CALLS_PER_TEAM);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(calls - MAX_CONCURRENT_CALLS_PER_TEAM);
    const refused = answers.find((a) => a.statusCode === 429)!;
    expect(refused.json().error).toMatchObject({ code: 'rate_limited', message: expect.stringMatching(/in progress/) });
    // The others ended at the deadline with a clear gateway error, and freed their slots.
    for (const a of answers.filter((x) => x.statusCode !== 429)) {
      expect(a.statusCode).toBe(504);
      expect(a.json().error.message).toMatch(/\S/);
    }
    faulty.heal();
    const after = await w.t.app.inject({ method: 'GET', url: `/api/v1/connections/${id}/proxy/slow`, headers: auth });
    expect(after.statusCode).not.toBe(429);
  });
});
