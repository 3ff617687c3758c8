import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects } from '../helpers/store.ts';
import { browser, login, newUser, openTestApp, type TestApp } from './app.ts';

describe.each(dialects)('team members on $name', ({ open }) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await openTestApp(open);
  });
  afterAll(async () => {
    await t.close();
  });

  /** An owner with a team, plus their cookie. */
  async function owner() {
    const created = await newUser(t);
    return { ...created, team: created.teams[0]!, cookie: await login(t.app, created.user.email) };
  }

  it('lets an owner add, list, promote and remove members', async () => {
    const ann = await owner();
    const bob = await newUser(t);
    const members = `/api/v1/teams/${ann.team.id}/members`;

    const added = await t.app.inject({
      method: 'POST',
      url: members,
      headers: browser(ann.cookie),
      payload: { email: bob.user.email.toUpperCase(), role: 'member' },
    });
    expect(added.statusCode).toBe(201);
    expect(added.json()).toMatchObject({ userId: bob.user.id, email: bob.user.email, role: 'member' });

    const again = await t.app.inject({
      method: 'POST',
      url: members,
      headers: browser(ann.cookie),
      payload: { email: bob.user.email },
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('already_member');

    const list = await t.app.inject({ method: 'GET', url: members, headers: { cookie: ann.cookie } });
    expect(list.statusCode).toBe(200);
    expect(
      list
        .json()
        .items.map((m: { email: string; role: string }) => [m.email, m.role])
        .sort(),
    ).toEqual(
      [
        [ann.user.email, 'owner'],
        [bob.user.email, 'member'],
      ].sort(),
    );
    expect(list.json().nextCursor).toBeNull();

    // Bob now sees the team among his own.
    const bobCookie = await login(t.app, bob.user.email);
    const me = (await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: bobCookie } })).json();
    expect(me.teams).toContainEqual({ id: ann.team.id, name: ann.team.name, role: 'member' });

    const promoted = await t.app.inject({
      method: 'PATCH',
      url: `${members}/${bob.user.id}`,
      headers: browser(ann.cookie),
      payload: { role: 'admin' },
    });
    expect(promoted.statusCode).toBe(200);
    expect(promoted.json().role).toBe('admin');

    const removed = await t.app.inject({
      method: 'DELETE',
      url: `${members}/${bob.user.id}`,
      headers: browser(ann.cookie),
    });
    expect(removed.statusCode).toBe(204);
    expect((await t.app.inject({ method: 'GET', url: members, headers: { cookie: bobCookie } })).statusCode).toBe(404);
  });

  it('answers 404 for another team, as if it did not exist', async () => {
    const ann = await owner();
    const eve = await owner();
    for (const request of [
      { method: 'GET' as const, url: `/api/v1/teams/${ann.team.id}/members` },
      { method: 'POST' as const, url: `/api/v1/teams/${ann.team.id}/members`, payload: { email: eve.user.email } },
      { method: 'DELETE' as const, url: `/api/v1/teams/${ann.team.id}/members/${ann.user.id}` },
      { method: 'GET' as const, url: '/api/v1/teams/not-an-id/members' },
    ]) {
      const response = await t.app.inject({ ...request, headers: browser(eve.cookie) });
      expect(response.statusCode).toBe(404);
      expect(response.json().error.code).toBe('not_found');
    }
  });

  it('keeps members from changing the team, and admins from touching owners', async () => {
    const ann = await owner();
    const adam = await newUser(t, { team: { id: ann.team.id, role: 'admin' } });
    const mia = await newUser(t, { team: { id: ann.team.id, role: 'member' } });
    const carl = await newUser(t);
    const members = `/api/v1/teams/${ann.team.id}/members`;
    const miaCookie = await login(t.app, mia.user.email);
    const adamCookie = await login(t.app, adam.user.email);

    const byMember = await t.app.inject({
      method: 'POST',
      url: members,
      headers: browser(miaCookie),
      payload: { email: carl.user.email },
    });
    expect(byMember.statusCode).toBe(403);
    expect(byMember.json().error.code).toBe('forbidden');

    const ownerByAdmin = await t.app.inject({
      method: 'POST',
      url: members,
      headers: browser(adamCookie),
      payload: { email: carl.user.email, role: 'owner' },
    });
    expect(ownerByAdmin.statusCode).toBe(403);
    const removeOwnerByAdmin = await t.app.inject({
      method: 'DELETE',
      url: `${members}/${ann.user.id}`,
      headers: browser(adamCookie),
    });
    expect(removeOwnerByAdmin.statusCode).toBe(403);

    const memberByAdmin = await t.app.inject({
      method: 'POST',
      url: members,
      headers: browser(adamCookie),
      payload: { email: carl.user.email },
    });
    expect(memberByAdmin.statusCode).toBe(201);

    const unknown = await t.app.inject({
      method: 'POST',
      url: members,
      headers: browser(adamCookie),
      payload: { email: 'nobody@example.com' },
    });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error).toMatchObject({ code: 'user_not_found', field: 'email' });

    // Anyone may leave.
    expect(
      (await t.app.inject({ method: 'DELETE', url: `${members}/${mia.user.id}`, headers: browser(miaCookie) }))
        .statusCode,
    ).toBe(204);
  });

  it('keeps at least one owner', async () => {
    const ann = await owner();
    const members = `/api/v1/teams/${ann.team.id}/members`;
    const leave = await t.app.inject({
      method: 'DELETE',
      url: `${members}/${ann.user.id}`,
      headers: browser(ann.cookie),
    });
    expect(leave.statusCode).toBe(409);
    expect(leave.json().error.code).toBe('last_owner');
    const demote = await t.app.inject({
      method: 'PATCH',
      url: `${members}/${ann.user.id}`,
      headers: browser(ann.cookie),
      payload: { role: 'member' },
    });
    expect(demote.statusCode).toBe(409);

    const olga = await newUser(t);
    await t.app.inject({
      method: 'POST',
      url: members,
      headers: browser(ann.cookie),
      payload: { email: olga.user.email, role: 'owner' },
    });
    expect(
      (await t.app.inject({ method: 'DELETE', url: `${members}/${ann.user.id}`, headers: browser(ann.cookie) }))
        .statusCode,
    ).toBe(204);
    const olgaCookie = await login(t.app, olga.user.email);
    const last = await t.app.inject({
      method: 'DELETE',
      url: `${members}/${olga.user.id}`,
      headers: browser(olgaCookie),
    });
    expect(last.statusCode).toBe(409);
  });
});
