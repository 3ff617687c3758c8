import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, PUBLIC_URL } from '../http/app.ts';
import { dialects } from '../helpers/store.ts';
import type { OAuthServer } from '../peers/oauth-server.ts';
import {
  callbackPath,
  connectionRow,
  getConnection,
  openOAuthWorld,
  otherUser,
  startFlow,
  startSharedOAuthServer,
  type OAuthWorld,
} from './harness.ts';

/** The sentence of the page, as a person reads it. */
function alertOf(html: string): string {
  const escaped = /<p role="alert">([^<]*)<\/p>/.exec(html)?.[1] ?? '';
  return escaped
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

let server: OAuthServer;
beforeAll(async () => {
  server = await startSharedOAuthServer();
});
afterAll(async () => {
  await server.close();
});

describe.each(dialects)('bad OAuth callbacks on $name', ({ open }) => {
  let w: OAuthWorld;
  beforeAll(async () => {
    w = await openOAuthWorld(open, { sharedServer: server });
  });
  afterAll(async () => {
    await w.close();
  });

  const callback = (url: string, headers: Record<string, string> = w.pageHeaders) =>
    w.t.app.inject({ method: 'GET', url, headers });

  /** Runs `act`, then proves nothing about the connection changed and no code was redeemed. */
  async function expectNothingChanged(id: string, act: () => Promise<void>): Promise<void> {
    const before = await connectionRow(w, id);
    const codes = w.server.grants.authorization_code;
    const tokens = w.server.issued.accessTokens.length;
    await act();
    expect(await connectionRow(w, id)).toEqual(before);
    expect(w.server.grants.authorization_code).toBe(codes);
    expect(w.server.issued.accessTokens.length).toBe(tokens);
  }

  function expectPage(
    res: { statusCode: number; headers: Record<string, unknown>; body: string },
    status: number,
    sentence: RegExp,
  ): void {
    expect(res.statusCode).toBe(status);
    expect(String(res.headers['content-type'])).toMatch(/^text\/html/);
    expect(alertOf(res.body)).toMatch(sentence);
  }

  it('refuses a callback without state', async () => {
    const { id, callbackUrl } = await startFlow(w);
    await expectNothingChanged(id, async () => {
      const url = new URL(callbackUrl);
      url.searchParams.delete('state');
      expectPage(await callback(callbackPath(url.href)), 400, /unknown, expired or already used/);
    });
    // The real flow is still usable.
    expect((await callback(callbackPath(callbackUrl))).statusCode).toBe(200);
  });

  it('refuses an unknown state', async () => {
    const { id, callbackUrl } = await startFlow(w);
    await expectNothingChanged(id, async () => {
      const url = new URL(callbackUrl);
      url.searchParams.set('state', 'x'.repeat(43));
      expectPage(await callback(callbackPath(url.href)), 400, /unknown, expired or already used/);
    });
  });

  it('refuses an expired state', async () => {
    const { id, callbackUrl } = await startFlow(w);
    // expires_at is immutable in the schema: only a test ages a flow.
    await w.t.store.db
      .updateTable('oauth_flows')
      .set({ expires_at: Date.now() - 1000 } as never)
      .where('connection_id', '=', id)
      .execute();
    await expectNothingChanged(id, async () => {
      expectPage(await callback(callbackPath(callbackUrl)), 400, /unknown, expired or already used/);
    });
  });

  it('refuses a replayed callback: the second use of the same URL changes nothing', async () => {
    const { id, callbackUrl } = await startFlow(w);
    expect((await callback(callbackPath(callbackUrl))).statusCode).toBe(200);
    await expectNothingChanged(id, async () => {
      expectPage(await callback(callbackPath(callbackUrl)), 400, /unknown, expired or already used/);
    });
    expect((await getConnection(w, id)).body.status).toBe('active');
  });

  it('refuses a browser signed in as another user, without using up the flow', async () => {
    const { id, callbackUrl } = await startFlow(w);
    const mallory = await otherUser(w);
    await expectNothingChanged(id, async () => {
      const res = await callback(callbackPath(callbackUrl), { cookie: mallory.cookie, host: new URL(PUBLIC_URL).host });
      expectPage(res, 403, /started by another user/);
    });
    const ok = await callback(callbackPath(callbackUrl));
    expect(ok.statusCode).toBe(200);
    expect((await getConnection(w, id)).body.status).toBe('active');
  });

  it('asks a signed-out browser to sign in, then resumes the same callback', async () => {
    const { id, callbackUrl } = await startFlow(w);
    const path = callbackPath(callbackUrl);
    await expectNothingChanged(id, async () => {
      const res = await callback(path, { host: new URL(PUBLIC_URL).host });
      expect(res.statusCode).toBe(401);
      expect(res.body).toContain('Sign in to Hitch to finish connecting.');
      expect(res.body).toContain('action="http://127.0.0.1:8080/oauth/sign-in"');
    });

    const signIn = await w.t.app.inject({
      method: 'POST',
      url: '/oauth/sign-in',
      headers: { origin: PUBLIC_URL, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ email: w.user.user.email, password: PASSWORD, next: path }).toString(),
    });
    expect(signIn.statusCode).toBe(303);
    expect(signIn.headers.location).toBe(`${PUBLIC_URL}${path}`);
    const cookie = signIn.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
    const resumed = await callback(callbackPath(String(signIn.headers.location)), {
      cookie,
      host: new URL(PUBLIC_URL).host,
    });
    expect(resumed.statusCode).toBe(200);
    expect(resumed.body).toContain('The connection is established.');
    expect((await getConnection(w, id)).body.status).toBe('active');
  });

  it('refuses to send a signed-in person anywhere but the callback (no open redirect)', async () => {
    for (const next of [
      '//evil.com',
      'https://evil.com',
      '/\\evil.com',
      '/oauth/callback?state=1&x=//evil.com',
      'https://evil.com/oauth/callback?state=1',
    ]) {
      const res = await w.t.app.inject({
        method: 'POST',
        url: '/oauth/sign-in',
        headers: { origin: PUBLIC_URL, 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ email: w.user.user.email, password: PASSWORD, next }).toString(),
      });
      expect(res.statusCode, next).toBe(400);
      expect(res.headers.location, next).toBeUndefined();
      expect(res.cookies, next).toEqual([]);
    }
  });

  it('refuses a sign-in form posted from another site', async () => {
    const res = await w.t.app.inject({
      method: 'POST',
      url: '/oauth/sign-in',
      headers: { origin: 'https://evil.example', 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({
        email: w.user.user.email,
        password: PASSWORD,
        next: '/oauth/callback?state=abc',
      }).toString(),
    });
    expect(res.statusCode).toBe(403);
    expect(res.cookies).toEqual([]);
  });

  it('reports a code the service rejects with a 4xx page and leaves the connection as it was', async () => {
    const { id, callbackUrl } = await startFlow(w);
    const url = new URL(callbackUrl);
    url.searchParams.set('code', `${url.searchParams.get('code')}tampered`);
    const before = await connectionRow(w, id);
    const tokens = w.server.issued.accessTokens.length;
    const refused = w.server.grants.invalid_grant;
    const res = await callback(callbackPath(url.href));
    expect(res.statusCode).toBeGreaterThanOrEqual(400);
    expect(res.statusCode).toBeLessThan(500);
    expect(alertOf(res.body)).toMatch(/refused the authorization/);
    // Hitch cannot tell a tampered code before the service does: it asked once and was refused.
    expect(w.server.grants.invalid_grant).toBe(refused + 1);
    expect(w.server.issued.accessTokens.length).toBe(tokens);
    expect(await connectionRow(w, id)).toEqual(before);
  });

  it('refuses a mismatched iss before exchanging the code (mix-up)', async () => {
    const { id, callbackUrl } = await startFlow(w);
    const url = new URL(callbackUrl);
    expect(url.searchParams.get('iss')).toBe(w.server.issuer);
    url.searchParams.set('iss', 'https://attacker.example');
    await expectNothingChanged(id, async () => {
      const res = await callback(callbackPath(url.href));
      expect(res.statusCode).toBeGreaterThanOrEqual(400);
      expect(res.statusCode).toBeLessThan(500);
      expect(alertOf(res.body)).toMatch(/did not pass Hitch's checks/);
    });
  });

  it("shows the service's error text escaped, never as markup", async () => {
    const created = await w.t.app.inject({
      method: 'POST',
      url: '/api/v1/connections',
      headers: w.headers,
      payload: { app: 'testidp' },
    });
    const { connection, authorizeUrl } = created.json<{ connection: { id: string }; authorizeUrl: string }>();
    const state = new URL(authorizeUrl).searchParams.get('state')!;
    const query = new URLSearchParams({
      error: 'access_denied',
      error_description: '<script>alert(1)</script>',
      state,
      iss: w.server.issuer,
    });
    await expectNothingChanged(connection.id, async () => {
      const res = await callback(`/oauth/callback?${query}`);
      expect(res.statusCode).toBe(400);
      expect(res.body).not.toContain('<script>alert(1)</script>');
      expect(res.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
      expect(alertOf(res.body)).toMatch(/^Access was not granted at the service/);
    });
    expect((await getConnection(w, connection.id)).body.status).toBe('pending');
  });
});
