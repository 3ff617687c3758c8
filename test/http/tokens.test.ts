import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256 } from '../../src/accounts/secret-hash.ts';
import { dialects } from '../helpers/store.ts';
import { bearer, browser, login, newUser, openTestApp, type TestApp } from './app.ts';

describe.each(dialects)('personal API tokens on $name', ({ open }) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await openTestApp(open);
  });
  afterAll(async () => {
    await t.close();
  });

  it('shows a new token once, stores only its hash, and accepts it as a Bearer credential', async () => {
    const { user } = await newUser(t);
    const cookie = await login(t.app, user.email);
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/tokens',
      headers: browser(cookie),
      payload: { name: 'CI' },
    });
    expect(created.statusCode).toBe(201);
    const { id, name, token } = created.json();
    expect(name).toBe('CI');
    expect(token).toMatch(/^hitch_[A-Za-z0-9_-]{40,}$/);

    const row = await t.store.db.selectFrom('api_tokens').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.token_hash).toBe(sha256(token));
    expect(JSON.stringify(row)).not.toContain(token);

    const list = await t.app.inject({ method: 'GET', url: '/api/v1/tokens', headers: { cookie } });
    expect(list.statusCode).toBe(200);
    expect(list.json()).toEqual({
      items: [{ id, name: 'CI', createdAt: row.created_at, lastUsedAt: null, expiresAt: null, restrictions: null }],
      nextCursor: null,
    });
    expect(list.body).not.toContain(token);

    const me = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: bearer(token) });
    expect(me.statusCode).toBe(200);
    expect(me.json().user.id).toBe(user.id);
    const used = await t.store.db
      .selectFrom('api_tokens')
      .select('last_used_at')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(used.last_used_at).toEqual(expect.any(Number));
  });

  it('refuses a revoked token with 401, and cannot revoke someone else’s', async () => {
    const { user } = await newUser(t);
    const other = await newUser(t);
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/tokens',
      headers: browser(await login(t.app, user.email)),
      payload: { name: 'script' },
    });
    const { id, token } = created.json();

    const otherCookie = await login(t.app, other.user.email);
    const stranger = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/tokens/${id}`,
      headers: browser(otherCookie),
    });
    expect(stranger.statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: bearer(token) })).statusCode).toBe(200);

    const revoked = await t.app.inject({ method: 'DELETE', url: `/api/v1/tokens/${id}`, headers: bearer(token) });
    expect(revoked.statusCode).toBe(204);
    const after = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: bearer(token) });
    expect(after.statusCode).toBe(401);
    expect(after.json().error.code).toBe('unauthenticated');
    expect(after.body).not.toContain(token);
  });

  it('pages the token list with a cursor', async () => {
    const { user } = await newUser(t);
    const cookie = await login(t.app, user.email);
    for (const name of ['a', 'b', 'c'])
      await t.app.inject({ method: 'POST', url: '/api/v1/tokens', headers: browser(cookie), payload: { name } });
    const first = (await t.app.inject({ method: 'GET', url: '/api/v1/tokens?limit=2', headers: { cookie } })).json();
    expect(first.items).toHaveLength(2);
    expect(first.nextCursor).toBe(first.items[1].id);
    const second = (
      await t.app.inject({
        method: 'GET',
        url: `/api/v1/tokens?limit=2&cursor=${first.nextCursor}`,
        headers: { cookie },
      })
    ).json();
    expect(second.items).toHaveLength(1);
    expect(second.nextCursor).toBeNull();
    const names = [...first.items, ...second.items].map((i: { name: string }) => i.name);
    expect(names.sort()).toEqual(['a', 'b', 'c']);
  });
});
