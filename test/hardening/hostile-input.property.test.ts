/**
 * Hostile input against every public route, found by listing the routes the app
 * registers (so a route added tomorrow is fuzzed tomorrow): generated path
 * parameters, query strings, bodies and content types — huge strings, wrong
 * types, `__proto__`/`constructor` keys, unicode edge cases. No 5xx, no crash,
 * no hang; every API 4xx is a JSON error with a code and a message; nothing
 * leaks into Object.prototype. test/connections/inputs.property.test.ts goes
 * deeper into the connection routes' own fields.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_ID, connect } from '../connections/harness.ts';
import { sqliteTestStore } from '../helpers/store.ts';
import { browser, login, PUBLIC_URL } from '../http/app.ts';
import { startOAuthServer, type OAuthServer } from '../peers/oauth-server.ts';
import { record } from './figures.ts';
import { openHardenedWorld, type HardenedWorld } from './world.ts';
import { maybe } from '../helpers/maybe.ts';

const RUNS_PER_ROUTE = Number(process.env.HITCH_FUZZ_RUNS ?? 120);
const HUGE = 'x'.repeat(300_000);
const ODD_STRINGS = [
  '',
  ' ',
  HUGE,
  '\u0000',
  '\uD800',
  '\uDFFF\uD800',
  '\u202Eevil',
  '\uFEFF',
  'ǅ̸̨͍̈́',
  '👩‍👩‍👧‍👦',
  '../../../../etc/passwd',
  '..%2F..%2Fetc%2Fpasswd',
  '%00',
  '%',
  '<script>alert(1)</script>',
  "'; drop table users; --",
  '${7*7}{{7*7}}',
  '__proto__',
  'constructor',
  'prototype',
  '0',
  '-1',
  '1e309',
  'NaN',
  'true',
  'null',
  '01890000-0000-7000-8000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
];
const KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  'id',
  'teamId',
  'app',
  'name',
  'email',
  'password',
  'role',
  'scopes',
  'parameters',
  'url',
  'secret',
  'cursor',
  'limit',
  'status',
  'isAdmin',
];
const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=utf-16',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/xml',
  'application/json\u0000',
  '*/*',
  undefined,
];

const oddString = fc.oneof(
  fc.constantFrom(...ODD_STRINGS),
  fc.string({ maxLength: 200, unit: 'grapheme' }),
  fc.string({ maxLength: 50, unit: 'binary' }),
);
const jsonText: fc.Arbitrary<string> = fc.letrec<{ value: string }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    oddString.map((s) => JSON.stringify(s)),
    fc.constantFrom('null', 'true', 'false', '0', '-0', '1e308', '-1', '1.5', '9007199254740993', '[]', '{}'),
    fc.array(tie('value'), { maxLength: 4 }).map((items) => `[${items.join(',')}]`),
    fc
      .array(fc.tuple(fc.oneof(fc.constantFrom(...KEYS), oddString), tie('value')), { maxLength: 6 })
      .map((entries) => `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`),
  ),
})).value;
const rawBody = fc.oneof(
  jsonText,
  fc.constantFrom(
    '{',
    '{"a":',
    '\u0000',
    'not json',
    '{"__proto__":{"isAdmin":true},"constructor":{"prototype":{"isAdmin":true}}}',
    `{"name":${JSON.stringify(HUGE)}}`,
  ),
  fc.string({ maxLength: 300, unit: 'binary' }),
);

/** Percent-encodes, and turns a lone surrogate into an invalid UTF-8 sequence instead of throwing. */
function encodePathPart(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    return `${encodeURIComponent(value.replace(/[\uD800-\uDFFF]/g, '\uFFFD'))}%ED%A0%80`;
  }
}

interface Route {
  method: string;
  url: string;
}

describe('every public route under hostile input', { timeout: 240_000 }, () => {
  let server: OAuthServer;
  let w: HardenedWorld;
  const routes: Route[] = [];
  const ids: string[] = [];

  beforeAll(async () => {
    server = await startOAuthServer({ redirectUris: [`${PUBLIC_URL}/oauth/callback`] });
    w = await openHardenedWorld(sqliteTestStore, server, {
      beforeReady: (app) =>
        app.addHook('onRoute', (route) => {
          for (const method of [route.method].flat())
            if (method !== 'HEAD' && method !== 'OPTIONS') routes.push({ method, url: route.url });
        }),
    });
    const { id } = await connect(w);
    ids.push(id, w.teamId, w.user.user.id);
  }, 60_000);
  afterAll(async () => {
    await maybe(w)?.close();
    await maybe(server)?.close();
  });

  /** Pages answer HTML by design; their answers are checked for status only. */
  const isPage = (url: string) => !url.startsWith('/api/');

  it('lists the routes it attacks', () => {
    expect(routes.length).toBeGreaterThan(20);
  });

  it('never answers 5xx, and answers every API 4xx with a JSON error', async () => {
    // Signing out or changing the password would end the session the rest of the run uses: those run last.
    const last = (r: Route) => /\/auth\/logout|password/.test(r.url);
    const ordered = [...routes.filter((r) => !last(r)), ...routes.filter(last)];
    const failures: string[] = [];
    for (const route of ordered) {
      const params = [...route.url.matchAll(/:([A-Za-z]+)|\*/g)].map((m) => m[1] ?? '*');
      const input = fc.record({
        params: fc.tuple(...params.map(() => fc.oneof(fc.constantFrom(...ids), oddString))),
        query: fc.array(fc.tuple(fc.oneof(fc.constantFrom(...KEYS), oddString), oddString), { maxLength: 5 }),
        body: rawBody,
        contentType: fc.constantFrom(...CONTENT_TYPES),
        withSession: fc.boolean(),
      });
      await fc.assert(
        fc.asyncProperty(input, async ({ params: values, query, body, contentType, withSession }) => {
          let i = 0;
          const path = route.url.replace(/:([A-Za-z]+)|\*/g, () => encodePathPart(values[i++] ?? '').slice(0, 4000));
          const search = new URLSearchParams(query.map(([k, v]) => [k, v.slice(0, 2000)])).toString();
          const hasBody = !['GET', 'DELETE'].includes(route.method);
          const response = await w.t.app.inject({
            method: route.method as 'GET',
            url: `${path}${search ? `?${search}` : ''}`,
            headers: {
              ...(withSession ? w.headers : {}),
              ...(hasBody && contentType ? { 'content-type': contentType } : {}),
            },
            ...(hasBody ? { payload: body } : {}),
          });
          record('inputsTried');
          const where = `${route.method} ${route.url} → ${response.statusCode} ${response.body.slice(0, 200)}`;
          if (response.statusCode >= 500) failures.push(where);
          expect(response.statusCode, where).toBeLessThan(500);
          if (response.statusCode >= 400 && !isPage(route.url)) {
            const parsed = response.json<{ error?: { code?: unknown; message?: unknown } }>();
            expect(typeof parsed.error?.code, where).toBe('string');
            expect(typeof parsed.error?.message, where).toBe('string');
          }
        }),
        { numRuns: RUNS_PER_ROUTE, endOnFailure: true },
      );
    }
    expect(failures).toEqual([]);
    // No request managed to write into every object's prototype.
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('isAdmin');
  });

  it('refuses an oversized body with 413 and oversized headers without a crash', async () => {
    // The fuzzing above may have signed this user out: sign in again.
    const headers = browser(await login(w.t.app, w.user.user.email));
    const big = await w.t.app.inject({
      method: 'POST',
      url: '/api/v1/connections',
      headers: { ...headers, 'content-type': 'application/json' },
      payload: JSON.stringify({ app: APP_ID, name: 'x'.repeat(2 * 1024 * 1024) }),
    });
    expect(big.statusCode).toBe(413);
    expect(big.json().error.code).toBe('body_too_large');
    // Node's header limit (16 KiB) is enforced by the HTTP parser, before Fastify: test it over a socket.
    const address = await w.t.app.listen({ port: 0, host: '127.0.0.1' });
    const response = await fetch(`${address}/api/v1/me`, { headers: { 'x-filler': 'y'.repeat(64 * 1024) } }).catch(
      (error: unknown) => error,
    );
    if (response instanceof Response) expect(response.status).toBe(431);
    // Still serving after it.
    expect((await fetch(`${address}/healthz`)).status).toBe(200);
  });
});
