import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects } from '../helpers/store.ts';
import { bearer, login, newUser, openTestApp, ORIGIN, type TestApp } from './app.ts';

describe.each(dialects)('the Origin check on $name', ({ open }) => {
  let t: TestApp;
  let cookie: string;
  let token: string;
  beforeAll(async () => {
    t = await openTestApp(open);
    const { user } = await newUser(t);
    cookie = await login(t.app, user.email);
    token = (
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/tokens',
        headers: { cookie, origin: ORIGIN },
        payload: { name: 'cli' },
      })
    ).json().token;
  });
  afterAll(async () => {
    await t.close();
  });

  it('refuses a state-changing request on the session cookie without Origin, or from another site', async () => {
    for (const headers of [
      { cookie },
      { cookie, origin: 'https://evil.example' },
      { cookie, origin: 'http://localhost:8080' },
    ]) {
      const response = await t.app.inject({
        method: 'POST',
        url: '/api/v1/tokens',
        headers,
        payload: { name: 'forged' },
      });
      expect(response.statusCode).toBe(403);
      expect(response.json().error.code).toBe('origin_mismatch');
    }
    const rows = await t.store.db.selectFrom('api_tokens').select('name').where('name', '=', 'forged').execute();
    expect(rows).toEqual([]);
  });

  it('accepts it from PUBLIC_URL’s origin, and reads need no Origin', async () => {
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: '/api/v1/tokens',
          headers: { cookie, origin: ORIGIN },
          payload: { name: 'ok' },
        })
      ).statusCode,
    ).toBe(201);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/tokens', headers: { cookie } })).statusCode).toBe(200);
  });

  it('exempts Bearer requests', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/tokens',
      headers: bearer(token),
      payload: { name: 'from a script' },
    });
    expect(response.statusCode).toBe(201);
  });

  it('refuses a sign-in posted from another site', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { origin: 'https://evil.example' },
      payload: { email: 'a@b.c', password: 'whatever1' },
    });
    expect(response.statusCode).toBe(403);
    expect(response.json().error.code).toBe('origin_mismatch');
  });
});
