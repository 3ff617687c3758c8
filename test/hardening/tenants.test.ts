/**
 * The tenant matrix: two teams, each with a connection, a scenario, a key, a
 * webhook and an API token. For every route the app registers that takes a path
 * parameter, and every method, user A sends team B's ids (in every slot) — and
 * gets exactly what a made-up id gets (404, or 403 where the route is not A's to
 * use at all), never a 2xx; team B's rows are byte-for-byte unchanged afterwards.
 * Listing routes with `teamId` set to B's team are refused too. On both dialects.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../src/ids.ts';
import { connect, otherUser } from '../connections/harness.ts';
import { dialects } from '../helpers/store.ts';
import { PUBLIC_URL } from '../http/app.ts';
import { startOAuthServer, type OAuthServer } from '../peers/oauth-server.ts';
import { record } from './figures.ts';
import { openHardenedWorld, type HardenedWorld } from './world.ts';
import { maybe } from '../helpers/maybe.ts';

/** Bodies that would succeed on one's own resource, so a refusal is about ownership, not validation. */
function bodyFor(method: string, url: string): Record<string, unknown> | undefined {
  if (method === 'GET' || method === 'DELETE' || method === 'HEAD') return undefined;
  if (url.endsWith('/webhook')) return { url: 'https://evil.example.com/hook', secret: 'a-long-enough-webhook-secret' };
  if (url.endsWith('/members')) return { email: 'intruder@example.com', role: 'owner' };
  if (url.includes('/members/')) return { role: 'owner' };
  if (url.endsWith('/replace')) return { with: newId() };
  if (url.endsWith('/run')) return { inputs: {} };
  if (url.endsWith('/reauthorize')) return { scopes: ['admin'] };
  return { name: 'pwned' };
}

const TABLES = [
  'connections',
  'scenarios',
  'keys',
  'webhooks',
  'teams',
  'memberships',
  'api_tokens',
  'oauth_flows',
] as const;

let server: OAuthServer;
beforeAll(async () => {
  server = await startOAuthServer({ redirectUris: [`${PUBLIC_URL}/oauth/callback`], accessTokenTtlSeconds: 600 });
});
afterAll(async () => {
  await maybe(server)?.close();
});

describe.each(dialects)('tenant matrix on $name', ({ open }) => {
  let w: HardenedWorld;
  const routes: Array<{ method: string; url: string }> = [];
  let b: Awaited<ReturnType<typeof otherUser>>;
  const bIds: Record<string, string> = {};
  let aBearer: Record<string, string>;

  beforeAll(async () => {
    w = await openHardenedWorld(open, server, {
      beforeReady: (app) =>
        app.addHook('onRoute', (route) => {
          for (const method of [route.method].flat())
            if (!['HEAD', 'OPTIONS'].includes(method)) routes.push({ method, url: route.url });
        }),
    });
    // Team A has its own resources too, so "not found" is not simply "you have nothing".
    await connect(w);
    const aToken = await w.t.app.inject({
      method: 'POST',
      url: '/api/v1/tokens',
      headers: w.headers,
      payload: { name: 'A token' },
    });
    aBearer = { authorization: `Bearer ${aToken.json().token as string}` };
    b = await otherUser(w, 'Team B');
    const bWorld = {
      ...w,
      headers: b.headers,
      cookie: b.cookie,
      pageHeaders: { cookie: b.cookie, host: new URL(PUBLIC_URL).host },
    };
    bIds.connection = (await connect(bWorld, { teamId: b.teamId })).id;
    bIds.team = b.teamId;
    bIds.user = b.user.user.id;
    const inject = (method: 'POST' | 'PUT', url: string, payload: Record<string, unknown>) =>
      w.t.app.inject({ method, url, headers: b.headers, payload });
    const key = await inject('POST', '/api/v1/keys', {
      teamId: b.teamId,
      name: 'B key',
      type: 'apiKey',
      parameters: { key: 'b-key-secret-value', placement: 'header', parameterName: 'X-Key' },
      origins: ['https://api.example.com'],
    });
    if (key.statusCode === 201) bIds.key = key.json().id;
    const scenario = await inject('POST', '/api/v1/scenarios', { teamId: b.teamId, name: 'B scenario', modules: [] });
    if (scenario.statusCode === 201) bIds.scenario = scenario.json().id;
    await inject('PUT', `/api/v1/teams/${b.teamId}/webhook`, {
      url: 'https://hooks.example.com/b',
      secret: 'b-webhook-secret-value',
    });
    const token = await inject('POST', '/api/v1/tokens', { name: 'B token' });
    bIds.token = token.json().id;
  }, 60_000);
  afterAll(async () => {
    await maybe(w)?.close();
  });

  /** Team B's rows (and B's own user rows), table by table, as JSON. */
  async function snapshot(): Promise<Record<string, string>> {
    const out: Record<string, string> = {};
    for (const table of TABLES) {
      try {
        const rows = (await w.t.store.db
          .selectFrom(table as 'connections')
          .selectAll()
          .execute()) as unknown as Array<Record<string, unknown>>;
        const theirs = rows.filter((r) => r.team_id === b.teamId || r.user_id === bIds.user || r.id === b.teamId);
        out[table] = JSON.stringify(
          theirs.sort((x, y) => String(x.id ?? x.user_id).localeCompare(String(y.id ?? y.user_id))),
        );
      } catch {
        out[table] = 'absent'; // a table this build does not have
      }
    }
    return out;
  }

  it('created team B’s resources', () => {
    expect(Object.keys(bIds)).toEqual(
      expect.arrayContaining(['connection', 'team', 'user', 'key', 'scenario', 'token']),
    );
  });

  it('gives user A nothing of team B, by any route and method, and changes nothing', async () => {
    const before = await snapshot();
    const withParams = routes.filter(
      (r) => r.url.includes(':') && r.url.startsWith('/api/') && !/^\/api\/v1\/(apps|modules)\b/.test(r.url),
    );
    expect(withParams.length).toBeGreaterThan(15);
    const leaks: string[] = [];
    for (const route of withParams) {
      const slots = [...route.url.matchAll(/:([A-Za-z]+)/g)].map((m) => m[1]!);
      for (const [kind, id] of Object.entries(bIds)) {
        for (let slot = 0; slot < slots.length; slot++) {
          const fill = (value: string) => {
            let i = 0;
            return route.url
              .replace(/:([A-Za-z]+)/g, () => (i++ === slot ? value : slots.length > 1 ? bIds.user! : value))
              .replace('*', 'me');
          };
          const body = bodyFor(route.method, route.url);
          const send = (url: string) =>
            // The proxy takes API tokens only; every other route is tried with A's browser session.
            w.t.app.inject({
              method: route.method as 'GET',
              url,
              headers: url.includes('/proxy') ? aBearer : w.headers,
              ...(body ? { payload: body } : {}),
            });
          const theirs = await send(fill(id));
          const madeUp = await send(fill(newId()));
          record('tenantProbes');
          const where = `${route.method} ${fill(id)} (${kind}) → ${theirs.statusCode} ${theirs.body.slice(0, 200)}`;
          if (theirs.statusCode < 400 || theirs.statusCode !== madeUp.statusCode)
            leaks.push(`${where}; a made-up id got ${madeUp.statusCode}`);
          else expect([400, 403, 404, 405], where).toContain(theirs.statusCode);
        }
      }
    }
    expect(leaks).toEqual([]);
    // Listing B's team by its id is refused as well.
    for (const url of ['/api/v1/connections', '/api/v1/scenarios', '/api/v1/keys', '/api/v1/events']) {
      const listed = await w.t.app.inject({ method: 'GET', url: `${url}?teamId=${b.teamId}`, headers: w.headers });
      record('tenantProbes');
      expect([403, 404], `${url} → ${listed.statusCode} ${listed.body.slice(0, 200)}`).toContain(listed.statusCode);
    }
    expect(await snapshot()).toEqual(before);
  });
});
