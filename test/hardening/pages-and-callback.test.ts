/**
 * What a browser gets: security headers on every answer Hitch can give (every
 * route without parameters, errors of each kind, the callback page), cookie
 * flags on sign-in, and the OAuth callback under attack beyond
 * test/connections/callback-errors.test.ts (forged, replayed, expired, cross-user
 * state, mismatched iss, open redirect): a code obtained for another connection,
 * and generated `error_description`s full of markup, always escaped.
 */
import type { LightMyRequestResponse } from 'fastify';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_ID, callbackPath, connectionRow, startFlow } from '../connections/harness.ts';
import { sqliteTestStore } from '../helpers/store.ts';
import { ORIGIN, PASSWORD, PUBLIC_URL } from '../http/app.ts';
import { startOAuthServer, type OAuthServer } from '../peers/oauth-server.ts';
import { record } from './figures.ts';
import { openHardenedWorld, type HardenedWorld } from './world.ts';
import { maybe } from '../helpers/maybe.ts';

let server: OAuthServer;
let w: HardenedWorld;
const routes: Array<{ method: string; url: string }> = [];
beforeAll(async () => {
  server = await startOAuthServer({ redirectUris: [`${PUBLIC_URL}/oauth/callback`], requirePkce: true });
  w = await openHardenedWorld(sqliteTestStore, server, {
    beforeReady: (app) =>
      app.addHook('onRoute', (route) => {
        for (const method of [route.method].flat()) if (method === 'GET') routes.push({ method, url: route.url });
      }),
  });
});
afterAll(async () => {
  await maybe(w)?.close();
  await maybe(server)?.close();
});

function expectSecurityHeaders(headers: LightMyRequestResponse['headers'], where: string) {
  const csp = headers['content-security-policy'] ?? '';
  const scriptSrc = /script-src ([^;]*)/.exec(csp)?.[1] ?? /default-src ([^;]*)/.exec(csp)?.[1] ?? '';
  expect(scriptSrc, where).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
  expect(scriptSrc, where).not.toBe('');
  expect(csp, where).toContain("frame-ancestors 'none'");
  expect(headers['x-content-type-options'], where).toBe('nosniff');
  expect(headers['referrer-policy'], where).toMatch(/^(no-referrer|same-origin|strict-origin)/);
  expect(headers['cross-origin-opener-policy'], where).toBe('same-origin-allow-popups');
}

describe('headers and cookies', () => {
  it('sends the security headers on every page and every kind of error', async () => {
    const urls = routes.filter((r) => !r.url.includes(':') && !r.url.includes('*')).map((r) => r.url);
    urls.push(
      '/no/such/page',
      '/api/v1/no-such',
      `/api/v1/connections/${'x'.repeat(200)}`,
      '/oauth/callback?state=forged',
      '/api/v1/connections/not-an-id',
    );
    expect(urls.length).toBeGreaterThan(10);
    for (const url of urls) {
      for (const headers of [w.headers, {}]) {
        const response = await w.t.app.inject({ method: 'GET', url, headers });
        expect(response.statusCode, url).toBeLessThan(500);
        expectSecurityHeaders(response.headers, `${url} → ${response.statusCode}`);
        record('inputsTried');
      }
    }
    const tooBig = await w.t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { origin: ORIGIN, 'content-type': 'application/json' },
      payload: `"${'x'.repeat(2 * 1024 * 1024)}"`,
    });
    expect(tooBig.statusCode).toBe(413);
    expectSecurityHeaders(tooBig.headers, '413');
  });

  it('sets the session cookie HttpOnly, SameSite and host-wide, and never readable by scripts', async () => {
    const response = await w.t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { origin: ORIGIN },
      payload: { email: w.user.user.email, password: PASSWORD },
    });
    expect(response.statusCode).toBe(200);
    const cookie = response.cookies[0]!;
    expect(cookie.httpOnly).toBe(true);
    expect(String(cookie.sameSite).toLowerCase()).toMatch(/^(lax|strict)$/);
    expect(cookie.path).toBe('/');
    // Secure when PUBLIC_URL is https: test/http/sessions.test.ts ("is Secure when PUBLIC_URL is https").
  });
});

describe('the OAuth callback under attack', () => {
  it('refuses a code obtained for another connection, and changes neither', async () => {
    const x = await startFlow(w);
    const y = await startFlow(w);
    const xUrl = new URL(x.callbackUrl);
    const yUrl = new URL(y.callbackUrl);
    // X's state (and so X's PKCE verifier) with Y's code.
    xUrl.searchParams.set('code', yUrl.searchParams.get('code')!);
    const swapped = await w.t.app.inject({ method: 'GET', url: callbackPath(xUrl.href), headers: w.pageHeaders });
    expect(swapped.statusCode).toBeGreaterThanOrEqual(400);
    expect(swapped.statusCode).toBeLessThan(500);
    expect(swapped.headers['content-type']).toMatch(/text\/html/);
    for (const id of [x.id, y.id]) {
      const row = (await connectionRow(w, id))!;
      expect(row.status).toBe('pending');
      expect(row.secrets_enc).toBeNull();
    }
  });

  it('escapes whatever the service writes in error and error_description', async () => {
    const markup = fc.oneof(
      fc.constantFrom(
        '<script>alert(1)</script>',
        '"><img src=x onerror=alert(1)>',
        "'-alert(1)-'",
        '</title><svg onload=alert(1)>',
        'javascript:alert(1)',
        '&lt;b&gt;',
        '\u2028<script>',
      ),
      fc.string({ maxLength: 120, unit: 'grapheme' }).map((s) => `<b>${s}</b>`),
    );
    await fc.assert(
      fc.asyncProperty(
        markup,
        fc.constantFrom('access_denied', 'server_error', '<i>x</i>'),
        async (description, error) => {
          // The creation limit is per team and per minute; this property creates many flows.
          await w.t.store.db.deleteFrom('rate_limits').execute();
          const created = await w.t.app.inject({
            method: 'POST',
            url: '/api/v1/connections',
            headers: w.headers,
            payload: { app: APP_ID },
          });
          const state = new URL(created.json().authorizeUrl).searchParams.get('state')!;
          const query = new URLSearchParams({ error, error_description: description, state });
          const page = await w.t.app.inject({ method: 'GET', url: `/oauth/callback?${query}`, headers: w.pageHeaders });
          record('inputsTried');
          // Access denied is the person's answer (4xx); a service reporting its own failure is a 502 (oauth_failed).
          expect(page.statusCode).toBeGreaterThanOrEqual(400);
          if (error === 'access_denied') expect(page.statusCode).toBeLessThan(500);
          for (const raw of [description, error]) if (/[<>"]/.test(raw)) expect(page.body).not.toContain(raw);
          expect(page.body).not.toMatch(/<script>(?!\s*<\/script>)/);
          expectSecurityHeaders(page.headers, 'callback page');
        },
      ),
      { numRuns: 60 },
    );
  });
});
