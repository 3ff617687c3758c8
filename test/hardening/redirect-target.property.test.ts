/**
 * A redirect target with a control or non-ASCII character — the sign-in form's
 * `next`, the web app's same-tab return path read by the callback script — is
 * refused: the form answers 400 (never 5xx) and writes nothing: no session is
 * created, the browser's session is not ended. E-mail addresses and passwords
 * with non-ASCII characters still sign in. Both dialects: sessions are rows.
 */
import vm from 'node:vm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../src/accounts/users.ts';
import { dialects, sqliteTestStore } from '../helpers/store.ts';
import { login, newUser, openTestApp, PUBLIC_URL, type TestApp } from '../http/app.ts';
import { record } from './figures.ts';
import { maybe } from '../helpers/maybe.ts';

const CONTROL = [...Array.from({ length: 0x20 }, (_, i) => String.fromCharCode(i)), '\u007f'];
/** Every control character, and non-ASCII from Latin-1 to astral planes (lone surrogates included). */
const badChar = fc.oneof(
  fc.constantFrom(...CONTROL),
  fc
    .integer({ min: 0x80, max: 0x10ffff })
    .filter((c) => c < 0xd800 || c > 0xdfff)
    .map((c) => String.fromCodePoint(c)),
  fc.constantFrom('\ud800', '\udfff', '\u2028', '\u202e', '\ufeff', 'é', '\u00a0', '\u0085'),
);
const asciiPart = fc.stringMatching(/^[A-Za-z0-9=&_.-]{0,12}$/);
const hostileNext = fc.tuple(asciiPart, badChar, asciiPart).map(([a, c, b]) => `/oauth/callback?state=${a}${c}${b}`);

describe.each(dialects)('redirect targets on $name', ({ open }) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await openTestApp(open);
  });
  afterAll(async () => {
    await maybe(t)?.close();
  });

  const form = (fields: Record<string, string>, cookie?: string) =>
    t.app.inject({
      method: 'POST',
      url: '/oauth/sign-in',
      headers: {
        origin: PUBLIC_URL,
        'content-type': 'application/x-www-form-urlencoded',
        ...(cookie ? { cookie } : {}),
      },
      payload: new URLSearchParams(fields).toString(),
    });

  it('answers 400 to a next with any control or non-ASCII character, and creates or ends no session', async () => {
    const { user } = await newUser(t);
    const cookie = await login(t.app, user.email);
    const sessions = async () =>
      (await t.store.db.selectFrom('sessions').select('id').where('user_id', '=', user.id).orderBy('id').execute()).map(
        (r) => r.id,
      );
    const before = await sessions();
    await fc.assert(
      fc.asyncProperty(hostileNext, async (next) => {
        const res = await form({ email: user.email, password: 'correct horse battery', next }, cookie);
        record('inputsTried');
        expect(res.statusCode).toBe(400);
        expect(res.headers.location).toBeUndefined();
        expect(res.cookies).toEqual([]);
        expect(res.body).toContain('This sign-in link is not valid');
        expect(await sessions()).toEqual(before);
      }),
      { numRuns: 150 },
    );
    // Every control character, each once, whatever the sampling above chose.
    for (const c of CONTROL) {
      const res = await form(
        { email: user.email, password: 'correct horse battery', next: `/oauth/callback?state=a${c}b` },
        cookie,
      );
      expect(res.statusCode, JSON.stringify(c)).toBe(400);
    }
    expect(await sessions()).toEqual(before);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } })).statusCode).toBe(200);
  }, 120_000);

  it('signs in an e-mail address and a password with non-ASCII characters, through the form and the API', async () => {
    const email = `zoë-${process.pid}-${Date.now()}@exämple.com`;
    const password = 'pässwörd ✓ 秘密 🔑';
    await createUser(t.store, { email, password });
    const res = await form({ email, password, next: '/oauth/callback?state=abc%C3%A9' });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`${PUBLIC_URL}/oauth/callback?state=abc%C3%A9`);
    expect(res.cookies.length).toBe(1);
    const api = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password } });
    expect(api.statusCode).toBe(200);
    expect(api.json().user.email).toBe(email);
  });
});

describe('the callback script’s same-tab return path', () => {
  /** Runs the callback page's script with a same-tab return path in sessionStorage; says where it sent the tab. */
  async function runCallbackScript(path: unknown): Promise<string | null> {
    const t = await openTestApp(sqliteTestStore);
    try {
      const script = (
        await t.app.inject({ method: 'GET', url: '/oauth/callback.js', headers: { host: new URL(PUBLIC_URL).host } })
      ).body;
      expect(script).toContain('hitch-oauth-return');
      const storage = new Map<string, string>([['hitch-oauth-return', JSON.stringify({ path })]]);
      let replacedWith: string | null = null;
      const window = {
        opener: null,
        location: { replace: (to: string) => (replacedWith = to), origin: PUBLIC_URL },
      };
      vm.runInNewContext(script, {
        window,
        document: {
          getElementById: () => ({ textContent: JSON.stringify({ ok: true, code: 'ok', message: 'done' }) }),
        },
        sessionStorage: {
          getItem: (k: string) => storage.get(k) ?? null,
          setItem: (k: string, v: string) => storage.set(k, v),
        },
        JSON,
      });
      return replacedWith;
    } finally {
      await t.close();
    }
  }

  it('goes back to a path of the app, and nowhere when the path holds a control or non-ASCII character', async () => {
    expect(await runCallbackScript('/connections')).toBe('/connections');
    // Browsers drop tabs and newlines from URLs: "/\t/evil.example" would become "//evil.example".
    for (const path of [
      '/\t/evil.example',
      '/\n/evil.example',
      '/\r\\evil.example',
      '/\u0000x',
      '/é',
      '/\u2028',
      '//evil.example',
      '/\\evil.example',
      'https://evil.example',
    ]) {
      expect(await runCallbackScript(path), JSON.stringify(path)).toBeNull();
    }
  }, 60_000);
});
