import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects } from '../helpers/store.ts';
import { browser, login, newUser, PUBLIC_URL } from '../http/app.ts';
import type { OAuthServer } from '../peers/oauth-server.ts';
import {
  APP_ID,
  callbackPath,
  connect,
  connectionRow,
  eventsOf,
  openOAuthWorld,
  startSharedOAuthServer,
  type OAuthWorld,
} from './harness.ts';

/**
 * Security II §1: an OAuth flow is completed only by a user who is still a
 * member of the connection's team with the right to change it. Removing a
 * member deletes their pending flows; a demoted admin's consent is refused.
 * The consent itself is real, at oidc-provider.
 */
describe.each(dialects)('OAuth flows and team membership on $name', ({ open }) => {
  let server: OAuthServer;
  let w: OAuthWorld;

  beforeAll(async () => {
    server = await startSharedOAuthServer();
    w = await openOAuthWorld(open, { sharedServer: server });
  });
  afterAll(async () => {
    await w.close();
    await server.close();
  });

  interface Person {
    id: string;
    cookie: string;
    headers: Record<string, string>;
  }
  async function teammate(role: 'admin' | 'member'): Promise<Person> {
    const user = await newUser(w.t, { team: { id: w.teamId, role } });
    const cookie = await login(w.t.app, user.user.email);
    return { id: user.user.id, cookie, headers: browser(cookie) };
  }
  const api = (
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    url: string,
    headers: Record<string, string>,
    payload?: unknown,
  ) => w.t.app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload: payload as object }) });
  /** The person comes back from the service to Hitch's callback page, signed in as themselves. */
  const callback = (person: Person, callbackUrl: string) =>
    w.t.app.inject({
      method: 'GET',
      url: callbackPath(callbackUrl),
      headers: { cookie: person.cookie, host: new URL(PUBLIC_URL).host },
    });
  const flowsOf = (userId: string) =>
    w.t.store.db.selectFrom('oauth_flows').select(['connection_id', 'team_id']).where('user_id', '=', userId).execute();
  const removeMember = (userId: string) => api('DELETE', `/api/v1/teams/${w.teamId}/members/${userId}`, w.headers);

  /** A connection created and completed by `person`. */
  async function connectAs(person: Person): Promise<string> {
    const created = await api('POST', '/api/v1/connections', person.headers, { app: APP_ID, scopes: ['read'] });
    expect(created.statusCode, created.body).toBe(201);
    const { callbackUrl } = await w.server.authorize(created.json().authorizeUrl, {
      login: 'alice@example.com',
      consent: true,
    });
    expect((await callback(person, callbackUrl)).statusCode).toBe(200);
    return created.json().connection.id as string;
  }

  it('refuses a create flow whose member was removed before coming back: the flow is gone, the connection stays pending, no code is exchanged', async () => {
    const member = await teammate('member');
    const created = await api('POST', '/api/v1/connections', member.headers, { app: APP_ID, name: 'Left halfway' });
    expect(created.statusCode).toBe(201);
    const id = created.json().connection.id as string;
    expect(await flowsOf(member.id)).toEqual([{ connection_id: id, team_id: w.teamId }]);

    // An owner's own flow in the same team is not touched by the removal.
    const ownerFlow = await api('POST', '/api/v1/connections', w.headers, { app: APP_ID, name: 'Owner, meanwhile' });
    expect(ownerFlow.statusCode).toBe(201);

    const removed = await removeMember(member.id);
    expect(removed.statusCode, removed.body).toBe(204);
    expect(await flowsOf(member.id)).toEqual([]);

    const before = await connectionRow(w, id);
    const eventsBefore = (await eventsOf(w, id)).length;
    const codesBefore = w.server.grants.authorization_code;
    const { callbackUrl } = await w.server.authorize(created.json().authorizeUrl, {
      login: 'alice@example.com',
      consent: true,
    });
    const cb = await callback(member, callbackUrl);
    expect(cb.statusCode).toBe(400);
    expect(cb.body).toContain('oauth_state_invalid');
    expect(await connectionRow(w, id)).toEqual(before);
    expect(before!.status).toBe('pending');
    expect((await eventsOf(w, id)).length).toBe(eventsBefore);
    expect(w.server.grants.authorization_code).toBe(codesBefore);

    // The owner's flow still completes.
    const second = await w.server.authorize(ownerFlow.json().authorizeUrl, {
      login: 'alice@example.com',
      consent: true,
    });
    const ok = await w.t.app.inject({ method: 'GET', url: callbackPath(second.callbackUrl), headers: w.pageHeaders });
    expect(ok.statusCode, ok.body).toBe(200);
    expect((await connectionRow(w, ownerFlow.json().connection.id))!.status).toBe('active');
  });

  it('refuses a reauthorization whose member was removed (even if added back), leaving the connection as it was', async () => {
    const member = await teammate('member');
    const id = await connectAs(member);
    const started = await api('POST', `/api/v1/connections/${id}/reauthorize`, member.headers, { scopes: ['write'] });
    expect(started.statusCode, started.body).toBe(200);
    expect(await flowsOf(member.id)).toHaveLength(1);

    expect((await removeMember(member.id)).statusCode).toBe(204);
    expect(await flowsOf(member.id)).toEqual([]);
    // Added back before coming back from the service: the old flow stays gone.
    const readd = await api('POST', `/api/v1/teams/${w.teamId}/members`, w.headers, {
      email: (
        await w.t.store.db.selectFrom('users').select('email').where('id', '=', member.id).executeTakeFirstOrThrow()
      ).email,
      role: 'member',
    });
    expect(readd.statusCode, readd.body).toBe(201);

    const before = await connectionRow(w, id);
    const eventsBefore = (await eventsOf(w, id)).length;
    const codesBefore = w.server.grants.authorization_code;
    const { callbackUrl } = await w.server.authorize(started.json().authorizeUrl, {
      login: 'alice@example.com',
      consent: true,
    });
    const cb = await callback(member, callbackUrl);
    expect(cb.statusCode).toBe(400);
    expect(cb.body).toContain('oauth_state_invalid');
    expect(await connectionRow(w, id)).toEqual(before);
    expect(JSON.parse(before!.scopes)).not.toContain('write');
    expect((await eventsOf(w, id)).length).toBe(eventsBefore);
    expect(w.server.grants.authorization_code).toBe(codesBefore);
  });

  it('refuses a member who leaves on their own the same way', async () => {
    const member = await teammate('member');
    const id = await connectAs(member);
    const started = await api('POST', `/api/v1/connections/${id}/reauthorize`, member.headers, {});
    expect(started.statusCode).toBe(200);
    const left = await api('DELETE', `/api/v1/teams/${w.teamId}/members/${member.id}`, member.headers);
    expect(left.statusCode, left.body).toBe(204);
    const before = await connectionRow(w, id);
    const { callbackUrl } = await w.server.authorize(started.json().authorizeUrl, {
      login: 'alice@example.com',
      consent: true,
    });
    expect((await callback(member, callbackUrl)).statusCode).toBe(400);
    expect(await connectionRow(w, id)).toEqual(before);
  });

  it('keeps the removed member’s flows in their other teams', async () => {
    const member = await teammate('member');
    // The member's own team, where they stay.
    const own = await w.t.store.db
      .selectFrom('memberships')
      .select('team_id')
      .where('user_id', '=', member.id)
      .execute();
    expect(own.map((m) => m.team_id)).toEqual([w.teamId]);
    const elsewhere = await newUser(w.t, { team: { name: 'Elsewhere' } });
    const elsewhereTeam = elsewhere.teams[0]!.id;
    const added = await api(
      'POST',
      `/api/v1/teams/${elsewhereTeam}/members`,
      browser(await login(w.t.app, elsewhere.user.email)),
      {
        email: (
          await w.t.store.db.selectFrom('users').select('email').where('id', '=', member.id).executeTakeFirstOrThrow()
        ).email,
        role: 'member',
      },
    );
    expect(added.statusCode, added.body).toBe(201);
    const there = await api('POST', '/api/v1/connections', member.headers, { app: APP_ID, teamId: elsewhereTeam });
    expect(there.statusCode, there.body).toBe(201);
    const here = await api('POST', '/api/v1/connections', member.headers, { app: APP_ID, teamId: w.teamId });
    expect(here.statusCode).toBe(201);

    expect((await removeMember(member.id)).statusCode).toBe(204);
    expect(await flowsOf(member.id)).toEqual([{ connection_id: there.json().connection.id, team_id: elsewhereTeam }]);
    const { callbackUrl } = await w.server.authorize(there.json().authorizeUrl, {
      login: 'alice@example.com',
      consent: true,
    });
    expect((await callback(member, callbackUrl)).statusCode).toBe(200);
  });

  it('refuses with 403 an admin demoted to member while reauthorizing someone else’s connection; the connection is unchanged and no code is exchanged', async () => {
    const { id, callbackStatus } = await connect(w, { scopes: ['read'] });
    expect(callbackStatus).toBe(200);
    const admin = await teammate('admin');

    // Control: an admin who stays admin completes it.
    const first = await api('POST', `/api/v1/connections/${id}/reauthorize`, admin.headers, { scopes: ['read'] });
    expect(first.statusCode, first.body).toBe(200);
    const firstConsent = await w.server.authorize(first.json().authorizeUrl, {
      login: 'alice@example.com',
      consent: true,
    });
    expect((await callback(admin, firstConsent.callbackUrl)).statusCode).toBe(200);

    const started = await api('POST', `/api/v1/connections/${id}/reauthorize`, admin.headers, { scopes: ['write'] });
    expect(started.statusCode, started.body).toBe(200);
    const demoted = await api('PATCH', `/api/v1/teams/${w.teamId}/members/${admin.id}`, w.headers, { role: 'member' });
    expect(demoted.statusCode, demoted.body).toBe(200);

    const before = await connectionRow(w, id);
    const eventsBefore = (await eventsOf(w, id)).length;
    const codesBefore = w.server.grants.authorization_code;
    const { callbackUrl } = await w.server.authorize(started.json().authorizeUrl, {
      login: 'alice@example.com',
      consent: true,
    });
    const cb = await callback(admin, callbackUrl);
    expect(cb.statusCode).toBe(403);
    expect(cb.body).toContain('forbidden');
    expect(cb.body).toContain('may no longer change this connection');
    expect(await connectionRow(w, id)).toEqual(before);
    expect(JSON.parse(before!.scopes)).not.toContain('write');
    expect((await eventsOf(w, id)).length).toBe(eventsBefore);
    expect(w.server.grants.authorization_code).toBe(codesBefore);
    // The flow was used up: coming back again is not a second chance.
    expect((await callback(admin, callbackUrl)).statusCode).toBe(400);
  });

  it('refuses at the callback itself when the membership is gone but the flow is not (any other way out of the team)', async () => {
    const member = await teammate('member');
    const id = await connectAs(member);
    const started = await api('POST', `/api/v1/connections/${id}/reauthorize`, member.headers, { scopes: ['write'] });
    expect(started.statusCode).toBe(200);
    await w.t.store.db
      .deleteFrom('memberships')
      .where('team_id', '=', w.teamId)
      .where('user_id', '=', member.id)
      .execute();
    expect(await flowsOf(member.id)).toHaveLength(1);
    const before = await connectionRow(w, id);
    const codesBefore = w.server.grants.authorization_code;
    const { callbackUrl } = await w.server.authorize(started.json().authorizeUrl, {
      login: 'alice@example.com',
      consent: true,
    });
    const cb = await callback(member, callbackUrl);
    expect(cb.statusCode).toBe(403);
    expect(cb.body).toContain('no longer a member');
    expect(await connectionRow(w, id)).toEqual(before);
    expect(w.server.grants.authorization_code).toBe(codesBefore);
  });

  it('lets a member demoted from admin finish a flow on a connection they created themselves', async () => {
    const admin = await teammate('admin');
    const id = await connectAs(admin);
    const started = await api('POST', `/api/v1/connections/${id}/reauthorize`, admin.headers, { scopes: ['write'] });
    expect(
      (await api('PATCH', `/api/v1/teams/${w.teamId}/members/${admin.id}`, w.headers, { role: 'member' })).statusCode,
    ).toBe(200);
    const { callbackUrl } = await w.server.authorize(started.json().authorizeUrl, {
      login: 'alice@example.com',
      consent: true,
    });
    expect((await callback(admin, callbackUrl)).statusCode).toBe(200);
    expect(JSON.parse((await connectionRow(w, id))!.scopes)).toContain('write');
  });
});
