import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256 } from '../../src/accounts/secret-hash.ts';
import { SESSION_COOKIE } from '../../src/http/session-cookie.ts';
import { dialects } from '../helpers/store.ts';
import {
  browser,
  login,
  newUser,
  openTestApp,
  ORIGIN,
  PASSWORD,
  sessionCookieOf,
  uniqueEmail,
  type TestApp,
} from './app.ts';

function tokenOf(cookie: string): string {
  return cookie.slice(SESSION_COOKIE.length + 1);
}

describe.each(dialects)('sign-in and sessions on $name', ({ open }) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await openTestApp(open);
  });
  afterAll(async () => {
    await t.close();
  });

  it('signs in with the session cookie, shows the user and their teams, and signs out', async () => {
    const email = uniqueEmail('ann');
    const { user, teams } = await newUser(t, { email });

    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { origin: ORIGIN },
      payload: { email: email.toUpperCase(), password: PASSWORD },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      user: { id: user.id, email, isAdmin: false },
      teams: [{ id: teams[0]!.id, name: `${email}'s team`, role: 'owner' }],
    });
    const setCookie = response.cookies.find((c) => c.name === SESSION_COOKIE)!;
    expect(setCookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    expect(setCookie.secure).toBeUndefined();
    const cookie = sessionCookieOf(response);

    const me = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } });
    expect(me.statusCode).toBe(200);
    expect(me.json().user.email).toBe(email);

    const logout = await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: browser(cookie) });
    expect(logout.statusCode).toBe(204);
    expect(logout.cookies.find((c) => c.name === SESSION_COOKIE)?.value).toBe('');
    const after = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } });
    expect(after.statusCode).toBe(401);
    expect(after.json().error.code).toBe('unauthenticated');
  });

  it('stores only the SHA-256 of the session token', async () => {
    const { user } = await newUser(t);
    const cookie = await login(t.app, user.email);
    const rows = await t.store.db.selectFrom('sessions').selectAll().where('user_id', '=', user.id).execute();
    expect(rows.map((r) => r.id)).toEqual([sha256(tokenOf(cookie))]);
  });

  it('answers a wrong password and an unknown email with the same 401', async () => {
    const { user } = await newUser(t);
    const wrong = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: user.email, password: 'not the password' },
    });
    const unknown = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: uniqueEmail('nobody'), password: PASSWORD },
    });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json()).toEqual(unknown.json());
    expect(wrong.json().error.code).toBe('invalid_credentials');
    expect(wrong.cookies).toEqual([]);
  });

  it('starts a new session on sign-in and ends the one the browser had', async () => {
    const { user } = await newUser(t);
    const first = await login(t.app, user.email);
    const second = await login(t.app, user.email, PASSWORD, first);
    expect(second).not.toBe(first);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: first } })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: second } })).statusCode).toBe(
      200,
    );
  });

  it('ends the other sessions when the password changes, and keeps this one', async () => {
    const { user } = await newUser(t);
    const laptop = await login(t.app, user.email);
    const phone = await login(t.app, user.email);

    const wrong = await t.app.inject({
      method: 'POST',
      url: '/api/v1/me/password',
      headers: browser(laptop),
      payload: { currentPassword: 'not it at all', newPassword: 'a new passphrase' },
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error).toMatchObject({ code: 'wrong_password', field: 'currentPassword' });

    const change = await t.app.inject({
      method: 'POST',
      url: '/api/v1/me/password',
      headers: browser(laptop),
      payload: { currentPassword: PASSWORD, newPassword: 'a new passphrase' },
    });
    expect(change.statusCode).toBe(200);
    expect(change.json()).toEqual({ apiTokens: 0 });
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: phone } })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: laptop } })).statusCode).toBe(
      200,
    );
    await expect(login(t.app, user.email)).rejects.toThrow(/401/);
    await login(t.app, user.email, 'a new passphrase');
  });

  it('ends a session after a week without use, and a month after sign-in in any case', async () => {
    const { user } = await newUser(t);
    const idle = await login(t.app, user.email);
    const old = await login(t.app, user.email);
    const now = Date.now();
    const day = 86_400_000;
    await t.store.db
      .updateTable('sessions')
      .set({ last_seen_at: now - 8 * day, expires_at: now - day })
      .where('id', '=', sha256(tokenOf(idle)))
      .execute();
    // Used a minute ago, so inactivity would not end it: only its age does.
    await t.store.db
      .deleteFrom('sessions')
      .where('id', '=', sha256(tokenOf(old)))
      .execute();
    await t.store.db
      .insertInto('sessions')
      .values({
        id: sha256(tokenOf(old)),
        user_id: user.id,
        created_at: now - 31 * day,
        last_seen_at: now - 60_000,
        expires_at: now + 6 * day,
      })
      .execute();

    expect((await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: idle } })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: old } })).statusCode).toBe(401);
  });

  it('slides the inactivity expiry forward when the session is used', async () => {
    const { user } = await newUser(t);
    const cookie = await login(t.app, user.email);
    const id = sha256(tokenOf(cookie));
    const soon = Date.now() + 60_000;
    await t.store.db
      .updateTable('sessions')
      .set({ last_seen_at: Date.now() - 2 * 86_400_000, expires_at: soon })
      .where('id', '=', id)
      .execute();
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } })).statusCode).toBe(200);
    const row = await t.store.db.selectFrom('sessions').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.expires_at).toBeGreaterThan(soon + 6 * 86_400_000);
  });
});

describe('the session cookie behind https', () => {
  it('is Secure when PUBLIC_URL is https', async () => {
    const t = await openTestApp(dialects[0].open, { PUBLIC_URL: 'https://hitch.example.com' });
    try {
      const { user } = await newUser(t);
      const response = await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        headers: { host: 'hitch.example.com' },
        payload: { email: user.email, password: PASSWORD },
      });
      expect(response.statusCode).toBe(200);
      expect(response.cookies.find((c) => c.name === SESSION_COOKIE)).toMatchObject({
        secure: true,
        httpOnly: true,
        sameSite: 'Lax',
      });
    } finally {
      await t.close();
    }
  });
});
