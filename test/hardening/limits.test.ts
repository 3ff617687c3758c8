/**
 * Limits that keep one caller from exhausting Hitch: connection creation per team
 * (429, counted in the database), and concurrent calls to services per team (a
 * burst waits for one of MAX_CONCURRENT_CALLS_PER_TEAM slots; a flood beyond the
 * waiting line gets 429; the service never sees more than the cap).
 * Body size (413) and header size are in hostile-input.property.test.ts; the
 * sign-in limits in test/http/rate-limit.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_CONCURRENT_CALLS_PER_TEAM, MAX_WAITING_CALLS_PER_TEAM } from '../../src/connections/team-gate.ts';
import { CONNECTION_CREATE_PER_TEAM } from '../../src/http/routes/connections.ts';
import { APP_ID, connect, otherUser } from '../connections/harness.ts';
import { sqliteTestStore } from '../helpers/store.ts';
import { PUBLIC_URL } from '../http/app.ts';
import { startFaultyService, type FaultyService } from '../peers/faulty-service.ts';
import { startOAuthServer, type OAuthServer } from '../peers/oauth-server.ts';
import { openHardenedWorld, type HardenedWorld } from './world.ts';
import { maybe } from '../helpers/maybe.ts';

let server: OAuthServer;
let faulty: FaultyService;
let w: HardenedWorld;
beforeAll(async () => {
  server = await startOAuthServer({ redirectUris: [`${PUBLIC_URL}/oauth/callback`], accessTokenTtlSeconds: 600 });
  faulty = await startFaultyService({ '/me': server.userinfoEndpoint });
  w = await openHardenedWorld(sqliteTestStore, server, {
    appOverrides: { baseUrl: faulty.url('/api') },
    http: { proxyTimeoutMs: 3_000 },
    outboundTimeoutMs: 3_000,
  });
});
afterAll(async () => {
  await maybe(w)?.close();
  await maybe(faulty)?.close();
  await maybe(server)?.close();
});

describe('limits', () => {
  it('refuses connection creation beyond the per-team limit with 429 and Retry-After, and only for that team', async () => {
    const create = (headers: Record<string, string>) =>
      w.t.app.inject({ method: 'POST', url: '/api/v1/connections', headers, payload: { app: APP_ID } });
    for (let i = 0; i < CONNECTION_CREATE_PER_TEAM.limit; i++) expect((await create(w.headers)).statusCode).toBe(201);
    const refused = await create(w.headers);
    expect(refused.statusCode).toBe(429);
    expect(refused.json().error).toMatchObject({
      code: 'rate_limited',
      message: expect.stringMatching(/too many connections/),
    });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    const listed = await w.t.app.inject({
      method: 'GET',
      url: `/api/v1/connections?teamId=${w.teamId}&limit=100`,
      headers: w.headers,
    });
    expect(listed.json().items).toHaveLength(CONNECTION_CREATE_PER_TEAM.limit);
    // Another team is not slowed by this one.
    const other = await otherUser(w);
    expect((await create(other.headers)).statusCode).toBe(201);
  });

  it('caps a team’s concurrent calls to services: a burst waits its turn, a flood beyond the waiting line gets 429', async () => {
    // A fresh team: the one above used up its creations.
    const other = await otherUser(w, 'Busy');
    const { id } = await connect({
      ...w,
      headers: other.headers,
      pageHeaders: { cookie: other.cookie, host: new URL(PUBLIC_URL).host },
      cookie: other.cookie,
    });
    // The proxy takes API tokens only.
    const token = (
      await w.t.app.inject({ method: 'POST', url: '/api/v1/tokens', headers: other.headers, payload: { name: 'load' } })
    ).json().token as string;
    const auth = { authorization: `Bearer ${token}` };
    faulty.arm('/api/slow', 'slow_answer');
    faulty.resetCounts();
    const excess = 8;
    const calls = MAX_CONCURRENT_CALLS_PER_TEAM + MAX_WAITING_CALLS_PER_TEAM + excess;
    const answers = await Promise.all(
      Array.from({ length: calls }, () =>
        w.t.app.inject({ method: 'GET', url: `/api/v1/connections/${id}/proxy/slow`, headers: auth }),
      ),
    );
    const refused = answers.filter((a) => a.statusCode === 429);
    expect(refused).toHaveLength(excess);
    expect(refused[0]!.json().error).toMatchObject({
      code: 'rate_limited',
      message: expect.stringMatching(/in progress/),
    });
    expect(answers.filter((a) => a.statusCode === 200)).toHaveLength(calls - excess);
    // The service never had more than the cap open at once, and served every call that waited.
    expect(faulty.maxConcurrent('/api/slow')).toBeLessThanOrEqual(MAX_CONCURRENT_CALLS_PER_TEAM);
    expect(faulty.count('/api/slow')).toBe(calls - excess);
    // All slots came back.
    const after = await w.t.app.inject({ method: 'GET', url: `/api/v1/connections/${id}/proxy/slow`, headers: auth });
    expect(after.statusCode).toBe(200);
    faulty.heal();
  });
});
