import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects } from '../helpers/store.ts';
import { browser, login, newUser, openTestApp, uniqueEmail, type TestApp } from './app.ts';

describe.each(dialects)('creating users on $name', ({ open }) => {
  let t: TestApp;
  let admin: string;
  let adminTeamId: string;
  beforeAll(async () => {
    t = await openTestApp(open);
    const created = await newUser(t, { isAdmin: true });
    adminTeamId = created.teams[0]!.id;
    admin = await login(t.app, created.user.email);
  });
  afterAll(async () => {
    await t.close();
  });

  it('lets an instance admin create a user with a team of their own, who can then sign in', async () => {
    const email = uniqueEmail('new');
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: browser(admin),
      payload: { email, password: 'a long password', team: { name: 'Research' } },
    });
    expect(response.statusCode).toBe(201);
    const body = response.json();
    expect(body.user).toMatchObject({ email, isAdmin: false });
    expect(body.teams).toEqual([{ id: expect.any(String), name: 'Research', role: 'owner' }]);
    expect(response.body).not.toContain('a long password');
    await login(t.app, email, 'a long password');
  });

  it('adds a new user to an existing team', async () => {
    const email = uniqueEmail('joiner');
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: browser(admin),
      payload: { email, password: 'a long password', teamId: adminTeamId },
    });
    expect(response.statusCode).toBe(201);
    expect(response.json().teams).toEqual([expect.objectContaining({ id: adminTeamId, role: 'member' })]);
  });

  it('refuses a duplicate email whatever its case, and non-admins', async () => {
    const email = uniqueEmail('dup');
    await t.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: browser(admin),
      payload: { email, password: 'a long password' },
    });
    const dup = await t.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: browser(admin),
      payload: { email: email.toUpperCase(), password: 'a long password' },
    });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.code).toBe('email_taken');

    const { user } = await newUser(t);
    const byUser = await t.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: browser(await login(t.app, user.email)),
      payload: { email: uniqueEmail(), password: 'a long password' },
    });
    expect(byUser.statusCode).toBe(403);
    expect(byUser.json().error.code).toBe('forbidden');
  });

  it('names the field that is wrong', async () => {
    const short = await t.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: browser(admin),
      payload: { email: uniqueEmail(), password: 'short' },
    });
    expect(short.statusCode).toBe(400);
    expect(short.json().error).toMatchObject({ code: 'validation_failed', field: 'password' });
    expect(short.body).not.toContain('"short"');

    const teamName = await t.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: browser(admin),
      payload: { email: uniqueEmail(), password: 'a long password', team: { name: 42 } },
    });
    expect(teamName.json().error).toMatchObject({ code: 'validation_failed', field: 'team.name' });
  });
});
