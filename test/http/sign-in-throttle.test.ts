/**
 * Sign-in throttling cannot be turned into a lockout by someone who knows only
 * an e-mail address: failures are refused per (e-mail, client address), and
 * failures on one e-mail from anywhere only slow every attempt on it with a
 * growing, bounded delay. Password change is throttled by the same counters.
 * The policy is in docs/security.md.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD_FAILURES_PER_CLIENT, slowDownMs } from '../../src/accounts/password-attempts.ts';
import { dialects } from '../helpers/store.ts';
import { bearer, browser, login, newUser, openTestApp, PASSWORD, type TestApp } from './app.ts';
import { maybe } from '../helpers/maybe.ts';

describe('the slow-down schedule', () => {
  it('lets the first failures through at once, then doubles the wait up to a bound', () => {
    const waits = Array.from({ length: 20 }, (_, n) => slowDownMs(n));
    expect(waits.slice(0, 5)).toEqual([0, 0, 0, 0, 0]);
    for (let n = 5; n < 19; n++) expect(waits[n + 1]).toBeGreaterThanOrEqual(waits[n]!);
    expect(waits[5]).toBeGreaterThan(0);
    expect(waits[6]).toBe(2 * waits[5]!);
    expect(Math.max(...waits)).toBe(waits[19]);
    expect(waits[19]).toBeLessThanOrEqual(10_000);
  });
});

describe.each(dialects)('sign-in and password change throttling on $name', ({ open }) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await openTestApp(open);
  });
  afterAll(async () => {
    await maybe(t)?.close();
  });

  const attempt = (email: string, password: string, remoteAddress: string) =>
    t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password }, remoteAddress });

  it('refuses a client that keeps failing, even with the right password, and lets the owner in from elsewhere', async () => {
    const { user } = await newUser(t);
    const sessionsBefore = await t.store.db
      .selectFrom('sessions')
      .select('id')
      .where('user_id', '=', user.id)
      .execute();
    for (let i = 0; i < PASSWORD_FAILURES_PER_CLIENT.limit; i++)
      expect((await attempt(user.email, 'wrong guess', '203.0.113.1')).statusCode).toBe(401);
    const refused = await attempt(user.email, PASSWORD, '203.0.113.1');
    expect(refused.statusCode).toBe(429);
    expect(refused.json().error.code).toBe('rate_limited');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    // A refused request writes no session.
    expect(await t.store.db.selectFrom('sessions').select('id').where('user_id', '=', user.id).execute()).toEqual(
      sessionsBefore,
    );

    // Two more addresses guess as well; the owner, who has not been failing, still signs in.
    expect((await attempt(user.email, 'wrong guess', '203.0.113.2')).statusCode).toBe(401);
    expect((await attempt(user.email, 'wrong guess', '203.0.113.3')).statusCode).toBe(401);
    const started = Date.now();
    const owner = await attempt(user.email, PASSWORD, '198.51.100.9');
    expect(owner.statusCode).toBe(200);
    // …after the wait that seven failures earn every attempt on this e-mail.
    expect(Date.now() - started).toBeGreaterThanOrEqual(slowDownMs(7) - 50);

    // When the client's window has passed, it may try again.
    await t.store.db
      .updateTable('rate_limits')
      .set({ reset_at: Date.now() - 1 })
      .execute();
    expect((await attempt(user.email, PASSWORD, '203.0.113.1')).statusCode).toBe(200);
  }, 120_000);

  it('cannot be made to refuse the right password by failures spread over many addresses', async () => {
    const { user } = await newUser(t);
    // Eleven addresses guess at once (more than any per-e-mail limit would allow): none is refused, each is slowed.
    const guesses = await Promise.all(
      Array.from({ length: 11 }, (_, i) => attempt(user.email, 'wrong guess', `192.0.2.${i + 1}`)),
    );
    expect(guesses.map((g) => g.statusCode)).toEqual(Array(11).fill(401));
    const started = Date.now();
    expect((await attempt(user.email, PASSWORD, '198.51.100.10')).statusCode).toBe(200);
    const waited = Date.now() - started;
    expect(waited).toBeGreaterThanOrEqual(slowDownMs(11) - 50);
    expect(waited).toBeLessThan(slowDownMs(1_000) + 5_000);
  }, 120_000);

  it('forgets a client’s failures when it signs in', async () => {
    const { user } = await newUser(t);
    const limit = PASSWORD_FAILURES_PER_CLIENT.limit;
    for (let i = 0; i < limit - 1; i++) await attempt(user.email, 'wrong guess', '203.0.113.20');
    expect((await attempt(user.email, PASSWORD, '203.0.113.20')).statusCode).toBe(200);
    for (let i = 0; i < limit - 1; i++)
      expect((await attempt(user.email, 'wrong guess', '203.0.113.20')).statusCode).toBe(401);
    expect((await attempt(user.email, PASSWORD, '203.0.113.20')).statusCode).toBe(200);
  }, 120_000);

  it('throttles the current password of a password change like sign-in, on the same counters', async () => {
    const { user } = await newUser(t);
    const cookie = await login(t.app, user.email);
    const change = (currentPassword: string, remoteAddress: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/me/password',
        headers: browser(cookie),
        payload: { currentPassword, newPassword: 'a new passphrase' },
        remoteAddress,
      });
    for (let i = 0; i < PASSWORD_FAILURES_PER_CLIENT.limit; i++) {
      const wrong = await change('not it at all', '203.0.113.30');
      expect(wrong.statusCode).toBe(400);
      expect(wrong.json().error.code).toBe('wrong_password');
    }
    const refused = await change(PASSWORD, '203.0.113.30');
    expect(refused.statusCode).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    // The password did not change, and sign-in from that address is refused too: one budget of guesses.
    expect((await attempt(user.email, PASSWORD, '203.0.113.30')).statusCode).toBe(429);
    expect((await attempt(user.email, PASSWORD, '198.51.100.30')).statusCode).toBe(200);
  }, 120_000);

  it('keeps the API tokens on a password change and says how many remain', async () => {
    const { user } = await newUser(t);
    const cookie = await login(t.app, user.email);
    const tokens: string[] = [];
    for (const name of ['CI', 'laptop']) {
      const created = await t.app.inject({
        method: 'POST',
        url: '/api/v1/tokens',
        headers: browser(cookie),
        payload: { name },
      });
      tokens.push(created.json().token as string);
    }
    const change = await t.app.inject({
      method: 'POST',
      url: '/api/v1/me/password',
      headers: browser(cookie),
      payload: { currentPassword: PASSWORD, newPassword: 'a new passphrase' },
    });
    expect(change.statusCode).toBe(200);
    expect(change.json()).toEqual({ apiTokens: 2 });
    for (const token of tokens)
      expect((await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: bearer(token) })).statusCode).toBe(200);

    // Changed with a token: the answer counts that token too.
    const again = await t.app.inject({
      method: 'POST',
      url: '/api/v1/me/password',
      headers: bearer(tokens[0]!),
      payload: { currentPassword: 'a new passphrase', newPassword: 'a third passphrase' },
    });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual({ apiTokens: 2 });
  }, 120_000);
});
