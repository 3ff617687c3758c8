import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects } from '../helpers/store.ts';
import { browser, login, newUser, PUBLIC_URL } from '../http/app.ts';
import type { OAuthServer } from '../peers/oauth-server.ts';
import { startResourceServer, type Peer } from '../scenarios/peers.ts';
import {
  APP_ID,
  connectFor,
  openScenarioWorld,
  expectForbidden,
  scopedApp,
  teamMates,
  type ScenarioWorld,
  type TeamMates,
} from '../scenarios/world.ts';
import { callbackPath, startSharedOAuthServer } from './harness.ts';

/**
 * Security II §1, who may change a connection: its creator and the team's owners
 * and admins edit, reauthorize and delete it; a plain member may see, verify and
 * use it. A refused change is a 403 with a sentence, and writes nothing.
 */
describe.each(dialects)('who may change a connection on $name', ({ open }) => {
  let server: OAuthServer;
  let resource: Peer;
  let w: ScenarioWorld;
  /** Signed-in team mates of the owner (w.user). */
  let people: TeamMates;

  beforeAll(async () => {
    server = await startSharedOAuthServer();
    resource = await startResourceServer(server.userinfoEndpoint);
    w = await openScenarioWorld(open, { server, app: scopedApp(server, resource.origin) });
    people = await teamMates(w);
  });
  afterAll(async () => {
    await w.close();
    await resource.close();
    await server.close();
  });

  const as = (who: { headers: Record<string, string> } | undefined) => ({
    patch: (id: string, body: unknown) => w.api('PATCH', `/api/v1/connections/${id}`, body, who?.headers),
    reauthorize: (id: string, body: unknown = {}) =>
      w.api('POST', `/api/v1/connections/${id}/reauthorize`, body, who?.headers),
    delete: (id: string, confirmed = false) =>
      w.api('DELETE', `/api/v1/connections/${id}${confirmed ? '?confirmed=true' : ''}`, undefined, who?.headers),
    get: (id: string) => w.api('GET', `/api/v1/connections/${id}`, undefined, who?.headers),
    verify: (id: string) => w.api('POST', `/api/v1/connections/${id}/verify`, undefined, who?.headers),
    list: () => w.api('GET', '/api/v1/connections', undefined, who?.headers),
  });
  const owner = as(undefined);

  /** Everything a refused change could have touched. */
  async function snapshot(id: string) {
    const row = await w.store.db.selectFrom('connections').selectAll().where('id', '=', id).executeTakeFirst();
    const events = await w.store.db
      .selectFrom('events')
      .select(['id', 'type'])
      .where('connection_id', '=', id)
      .execute();
    const flows = await w.store.db
      .selectFrom('oauth_flows')
      .select('state_hash')
      .where('connection_id', '=', id)
      .execute();
    return { row, events: events.length, flows: flows.length };
  }

  /** A member's own OAuth connection: created, consented and completed by them. */
  async function connectAs(who: { headers: Record<string, string>; cookie: string }, name: string): Promise<string> {
    const created = await w.api('POST', '/api/v1/connections', { app: APP_ID, name, scopes: ['read'] }, who.headers);
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const { callbackUrl } = await w.server.authorize(created.body.authorizeUrl, {
      login: 'alice@example.com',
      consent: true,
    });
    const cb = await w.hitch.app.inject({
      method: 'GET',
      url: callbackPath(callbackUrl),
      headers: { cookie: who.cookie, host: new URL(PUBLIC_URL).host },
    });
    expect(cb.statusCode, cb.body).toBe(200);
    return created.body.connection.id as string;
  }

  it('refuses a plain member who did not create it every change (PATCH, reauthorize, DELETE) with 403 and a sentence, changing nothing', async () => {
    const { id } = await connectFor(w, { name: 'Owner’s connection', scopes: ['read'] });
    const member = as(people.member);
    const before = await snapshot(id);
    const grantsBefore = { ...w.server.grants };

    const creatorWording = /created this connection.*owner or admin/;
    expectForbidden(await member.patch(id, { name: 'Taken over' }), creatorWording);
    expectForbidden(await member.patch(id, { parameters: {} }), creatorWording);
    expectForbidden(await member.reauthorize(id, {}), creatorWording);
    expectForbidden(await member.reauthorize(id, { scopes: ['write'], allowAccountChange: true }), creatorWording);
    expectForbidden(await member.delete(id), creatorWording);
    expectForbidden(await member.delete(id, true), creatorWording);

    expect(await snapshot(id)).toEqual(before);
    expect(w.server.grants).toEqual(grantsBefore);
    expect((await owner.get(id)).body).toMatchObject({ name: 'Owner’s connection', status: 'active' });
  });

  it('lets that member still see, list, verify and use it in a scenario', async () => {
    const { id } = await connectFor(w, { name: 'Shared notes', scopes: ['read'] });
    const member = as(people.member);

    const shown = await member.get(id);
    expect(shown.status).toBe(200);
    expect(shown.body).toMatchObject({ id, name: 'Shared notes', status: 'active' });
    expect((await member.list()).body.items.map((c: { id: string }) => c.id)).toContain(id);

    const verified = await member.verify(id);
    expect(verified.status).toBe(200);
    expect(verified.body).toMatchObject({ verified: true, connection: { id, status: 'active' } });

    const scenario = await w.api(
      'POST',
      '/api/v1/scenarios',
      {
        name: 'Member’s digest',
        modules: [{ id: 1, app: APP_ID, module: 'read-notes', connectionId: id, inputs: {} }],
      },
      people.member.headers,
    );
    expect(scenario.status, JSON.stringify(scenario.body)).toBe(201);
    const callsBefore = resource.received.length;
    const run = await w.api('POST', `/api/v1/scenarios/${scenario.body.id}/run`, {}, people.member.headers);
    expect(run.status).toBe(200);
    expect(run.body.execution.status).toBe('success');
    expect(run.body.execution.modules[0].output.data).toEqual([{ name: 'alpha' }, { name: 'beta' }]);
    expect(resource.received.length).toBe(callsBefore + 1);
  });

  it('lets the member who created a connection change it, and every owner and admin too; not another member', async () => {
    const id = await connectAs(people.member, 'Member’s own');
    const mine = as(people.member);
    const renamed = await mine.patch(id, { name: 'Member’s own, renamed' });
    expect(renamed.status, JSON.stringify(renamed.body)).toBe(200);
    expect(renamed.body.name).toBe('Member’s own, renamed');
    const again = await mine.reauthorize(id, { scopes: ['write'] });
    expect(again.status, JSON.stringify(again.body)).toBe(200);
    expect(again.body.authorizeUrl).toMatch(/^http/);

    const before = await snapshot(id);
    expectForbidden(await as(people.other).patch(id, { name: 'not yours' }), /created this connection/);
    expectForbidden(await as(people.other).reauthorize(id), /created this connection/);
    expectForbidden(await as(people.other).delete(id, true), /created this connection/);
    expect(await snapshot(id)).toEqual(before);

    const byAdmin = await as(people.admin).patch(id, { name: 'Renamed by the admin' });
    expect(byAdmin.status, JSON.stringify(byAdmin.body)).toBe(200);
    expect((await as(people.admin).reauthorize(id)).status).toBe(200);
    const byOwner = await owner.patch(id, { name: 'Renamed by the owner' });
    expect(byOwner.status).toBe(200);
    const renames = await w.store.db
      .selectFrom('events')
      .select(['actor', 'type'])
      .where('connection_id', '=', id)
      .where('type', '=', 'connection.renamed')
      .execute();
    expect(renames.map((e) => e.actor).sort()).toEqual(
      [`user:${people.member.id}`, `user:${people.admin.id}`, `user:${w.user.user.id}`].sort(),
    );

    // The creator deletes their own; an admin deletes another's.
    expect((await mine.delete(id, true)).status).toBe(204);
    expect((await owner.get(id)).status).toBe(404);
    const second = await connectAs(people.other, 'Other’s own');
    expect((await as(people.admin).delete(second, true)).status).toBe(204);
    expect((await owner.get(second)).status).toBe(404);
  });

  it('lets only owners and admins change a connection without a recorded creator — not even the member who made it', async () => {
    const id = await connectAs(people.member, 'Creator unknown');
    await w.store.db.updateTable('connections').set({ created_by: null }).where('id', '=', id).execute();
    const before = await snapshot(id);

    const adminsOnly = /owner or admin/;
    for (const who of [people.member, people.other]) {
      expectForbidden(await as(who).patch(id, { name: 'mine' }), adminsOnly);
      expectForbidden(await as(who).reauthorize(id), adminsOnly);
      expectForbidden(await as(who).delete(id, true), adminsOnly);
    }
    const refused = await as(people.member).patch(id, { name: 'mine' });
    expect(refused.body.error.message).not.toMatch(/created this connection/);
    expect(await snapshot(id)).toEqual(before);
    // …and both may still use it.
    for (const who of [people.member, people.other]) expect((await as(who).verify(id)).body.verified).toBe(true);

    expect((await as(people.admin).patch(id, { name: 'Named by the admin' })).status).toBe(200);
    expect((await owner.reauthorize(id)).status).toBe(200);
    expect((await as(people.admin).delete(id, true)).status).toBe(204);
  });

  it('answers a member after a demotion with 403 too: the right is read on every request', async () => {
    const demoted = await newUser({ store: w.store } as never, { team: { id: w.teamId, role: 'admin' } });
    const cookie = await login(w.hitch.app, demoted.user.email);
    const headers = browser(cookie);
    const { id } = await connectFor(w, { name: 'Owner’s, again', scopes: ['read'] });
    expect((await w.api('PATCH', `/api/v1/connections/${id}`, { name: 'Admin renames' }, headers)).status).toBe(200);
    const role = await w.api('PATCH', `/api/v1/teams/${w.teamId}/members/${demoted.user.id}`, { role: 'member' });
    expect(role.status, JSON.stringify(role.body)).toBe(200);
    expectForbidden(
      await w.api('PATCH', `/api/v1/connections/${id}`, { name: 'Member renames' }, headers),
      /owner or admin/,
    );
    expect((await owner.get(id)).body.name).toBe('Admin renames');
  });
});
