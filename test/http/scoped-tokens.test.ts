import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../src/ids.ts';
import { routeMap, type RouteKey } from '../../src/http/route-map.ts';
import { maybe } from '../helpers/maybe.ts';
import { dialects } from '../helpers/store.ts';
import type { Peer } from '../scenarios/peers.ts';
import { APP_ID, connectFor, openNotesWorld, type NotesWorld, type ScenarioWorld } from '../scenarios/world.ts';
import { browser, login, newUser } from './app.ts';

/**
 * Scoped API tokens: limited at creation to a team, connections, endpoint
 * grants (patterns, or a scenario's grants copied then), read-only and an
 * expiry. Such a token calls the proxy within its grants and reads its own
 * connections — every other route refuses it — and a refused call never
 * reaches the service.
 */
describe.each(dialects)('scoped API tokens on $name', ({ open }) => {
  let world: NotesWorld;
  let resource: Peer;
  let w: ScenarioWorld;
  let connectionId: string;
  let otherConnectionId: string;
  let scenarioId: string;

  beforeAll(async () => {
    world = await openNotesWorld(open, 'Read notes');
    ({ resource, w, connectionId, scenarioId } = world);
    otherConnectionId = (await connectFor(w, { name: 'Second' })).id;
    await w.api('PATCH', `/api/v1/scenarios/${scenarioId}`, {
      modules: [{ id: 1, app: APP_ID, module: 'read-notes', connectionId, inputs: {} }],
    });
  });
  afterAll(async () => maybe(world)?.close());

  async function token(
    body: Record<string, unknown>,
  ): Promise<{ id: string; token: string; headers: Record<string, string> }> {
    const created = await w.api('POST', '/api/v1/tokens', { name: 'agent', ...body });
    if (created.status !== 201) throw new Error(`token: ${created.status} ${JSON.stringify(created.body)}`);
    const value = created.body.token as string;
    return { id: created.body.id, token: value, headers: { authorization: `Bearer ${value}` } };
  }
  const proxy = (headers: Record<string, string>, method: string, path: string, id = connectionId) =>
    w.hitch.app.inject({ method: method as 'GET', url: `/api/v1/connections/${id}/proxy${path}`, headers });

  it('refuses a restricted token on every route of the API but reading its own connections', async () => {
    const { headers } = await token({ connections: [connectionId] });
    const allowed: RouteKey[] = ['GET /connections', 'GET /connections/:id'];
    // Signing in reads no token at all: it takes an e-mail and a password.
    const readsNoToken: RouteKey[] = ['POST /auth/login'];
    for (const key of Object.keys(routeMap) as RouteKey[]) {
      if (readsNoToken.includes(key)) continue;
      const [method, path] = key.split(' ') as [string, string];
      const url = `/api/v1${path.replace(/:[A-Za-z]+/g, newId())}`;
      const answer = await w.hitch.app.inject({
        method: method as 'GET',
        url,
        headers,
        ...(method === 'GET' || method === 'DELETE' ? {} : { payload: {} }),
      });
      if (allowed.includes(key)) {
        expect(answer.json().error?.code, key).not.toBe('token_restricted');
      } else {
        expect(answer.statusCode, key).toBe(403);
        expect(answer.json().error.code, key).toBe('token_restricted');
      }
    }
    // Creating tokens and reading members, named in the contract, are among them.
    expect(Object.keys(routeMap)).toEqual(expect.arrayContaining(['POST /tokens', 'GET /teams/:id/members']));

    const list = await w.api('GET', '/api/v1/connections', undefined, headers);
    expect(list.body.items.map((c: { id: string }) => c.id)).toEqual([connectionId]);
    expect((await w.api('GET', `/api/v1/connections/${connectionId}`, undefined, headers)).status).toBe(200);
    expect((await w.api('GET', `/api/v1/connections/${otherConnectionId}`, undefined, headers)).status).toBe(404);
  });

  it('calls through the proxy within its grants only, refusing anything else before it reaches the service', async () => {
    const { headers } = await token({ grants: [{ connectionId, method: 'GET', path: '/notes/{id}' }] });
    const ok = await proxy(headers, 'GET', '/notes/n1?x=1');
    expect(ok.statusCode).toBe(200);
    expect(ok.json().path).toBe('/notes/n1?x=1');

    const before = resource.received.length;
    for (const [method, path] of [
      ['GET', '/admin'],
      ['POST', '/notes/n1'],
      ['GET', '/notes/n1/more'],
      ['GET', '/notes'],
      ['GET', '/notes/../admin'],
      ['GET', '/notes/%2e%2e/admin'],
      ['GET', '/notes/%2E%2E%2Fadmin'],
      ['GET', '/notes/..%5cadmin'],
      ['GET', '//notes/x'],
      ['GET', '/notes/%252e%252e'],
    ] as const) {
      const refused = await proxy(headers, method, path);
      expect(refused.statusCode, `${method} ${path}`).toBeGreaterThanOrEqual(400);
      expect(refused.statusCode, `${method} ${path}`).toBeLessThan(500);
    }
    expect(resource.received.length).toBe(before);

    const refused = await proxy(headers, 'DELETE', '/notes/n1');
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error).toMatchObject({ code: 'endpoint_not_granted' });
    expect(refused.json().error.message).toBe(
      'API token "agent" may not call DELETE /notes/n1 on this connection: create a token whose grants include this endpoint, or call one it was granted.',
    );
    const event = await w.store.db
      .selectFrom('events')
      .selectAll()
      .where('type', '=', 'connection.endpoint_refused')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(event.actor).toBe(`user:${w.user.user.id}`);
    expect(event.message).toBe(refused.json().error.message);

    // Connections it was not given do not exist for it.
    expect((await proxy(headers, 'GET', '/notes/n1', otherConnectionId)).statusCode).toBe(404);
  });

  it('limits a read-only token to GET and HEAD', async () => {
    const { headers } = await token({ readOnly: true });
    expect((await proxy(headers, 'GET', '/anything')).statusCode).toBe(200);
    expect((await proxy(headers, 'HEAD', '/anything')).statusCode).toBe(200);
    const before = resource.received.length;
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE'])
      expect((await proxy(headers, method, '/anything')).json().error.code, method).toBe('endpoint_not_granted');
    expect(resource.received.length).toBe(before);
    // Read-only, it may still use every connection of the user's teams.
    expect((await proxy(headers, 'GET', '/x', otherConnectionId)).statusCode).toBe(200);
  });

  it('copies a scenario’s grants at creation: a later edit of the scenario does not widen the token', async () => {
    const { headers } = await token({ scenarioId });
    expect((await proxy(headers, 'GET', '/notes')).statusCode).toBe(200);
    expect((await proxy(headers, 'GET', '/admin')).statusCode).toBe(403);

    await w.api('PATCH', `/api/v1/scenarios/${scenarioId}`, {
      modules: [
        { id: 1, app: APP_ID, module: 'read-notes', connectionId, inputs: {} },
        { id: 2, app: APP_ID, module: 'make-api-call', connectionId, inputs: { url: '/admin' } },
      ],
    });
    const before = resource.received.length;
    expect((await proxy(headers, 'GET', '/admin')).json().error.code).toBe('endpoint_not_granted');
    expect(resource.received.length).toBe(before);
  });

  it('is listed with its restrictions and expiry, never its value; expiry is enforced at authentication', async () => {
    const expiresAt = Date.now() + 3_600_000;
    const created = await token({
      teamId: w.teamId,
      grants: [{ connectionId, method: 'get', path: '/notes/*' }],
      expiresAt,
    });
    const list = await w.api('GET', '/api/v1/tokens?limit=100');
    const listed = list.body.items.find((t: { id: string }) => t.id === created.id);
    expect(listed).toEqual({
      id: created.id,
      name: 'agent',
      createdAt: expect.any(Number),
      lastUsedAt: null,
      expiresAt,
      restrictions: {
        teamId: w.teamId,
        connections: { [connectionId]: [{ method: 'GET', path: '/notes/*' }] },
        readOnly: false,
        scenarioId: null,
        approval: null,
      },
    });
    expect(JSON.stringify(list.body)).not.toContain(created.token);

    expect((await proxy(created.headers, 'GET', '/notes/1')).statusCode).toBe(200);
    await w.store.db
      .updateTable('api_tokens')
      .set({ expires_at: Date.now() - 1 } as never)
      .where('id', '=', created.id)
      .execute();
    // Moved behind Hitch's back, the expiry is announced as Hitch announces every change to a token,
    // so the principal the proxy cached is dropped and the stored expiry is read.
    await w.store.invalidations.publish({ kind: 'token', tokenId: created.id });
    const expired = await proxy(created.headers, 'GET', '/notes/1');
    expect(expired.statusCode).toBe(401);
    expect(expired.json().error.code).toBe('unauthenticated');

    // An unrestricted token with an expiry keeps the user's full rights until then.
    const plain = await token({ expiresAt });
    expect((await w.api('GET', '/api/v1/me', undefined, plain.headers)).status).toBe(200);
  });

  it('can be given only what its creator may grant, and refuses bad grants with the field named', async () => {
    const bob = await newUser({ store: w.store } as never, { team: { name: 'Elsewhere' } });
    const bobCookie = await login(w.hitch.app, bob.user.email);
    const bobsTeam = bob.teams[0]!.id;
    const bobs = await w.hitch.app.inject({
      method: 'POST',
      url: '/api/v1/connections',
      headers: browser(bobCookie),
      payload: { app: APP_ID, teamId: bobsTeam },
    });
    const bobsConnection = bobs.json().connection.id as string;

    const foreign = await w.api('POST', '/api/v1/tokens', { name: 'x', connections: [bobsConnection] });
    expect(foreign.status).toBe(400);
    expect(foreign.body.error).toMatchObject({ code: 'validation_failed', field: 'connections.0' });
    const foreignGrant = await w.api('POST', '/api/v1/tokens', {
      name: 'x',
      grants: [{ connectionId: bobsConnection, method: 'GET', path: '/*' }],
    });
    expect(foreignGrant.body.error.field).toBe('grants.0.connectionId');
    expect((await w.api('POST', '/api/v1/tokens', { name: 'x', teamId: bobsTeam })).status).toBe(404);

    const badPath = await w.api('POST', '/api/v1/tokens', {
      name: 'x',
      grants: [{ connectionId, method: 'GET', path: '/notes/../admin' }],
    });
    expect(badPath.status).toBe(400);
    expect(badPath.body.error.field).toBe('grants.0.path');
    const badMethod = await w.api('POST', '/api/v1/tokens', {
      name: 'x',
      grants: [{ connectionId, method: 'TRACE', path: '/x' }],
    });
    expect(badMethod.body.error.field).toBe('grants.0.method');
    const past = await w.api('POST', '/api/v1/tokens', { name: 'x', expiresAt: 1 });
    expect(past.body.error.field).toBe('expiresAt');

    // Limited to a team, a token cannot reach the user's other team, even where the user is a member.
    await w.hitch.app.inject({
      method: 'POST',
      url: `/api/v1/teams/${bobsTeam}/members`,
      headers: browser(bobCookie),
      payload: { email: w.user.user.email, role: 'member' },
    });
    const { headers } = await token({ teamId: w.teamId });
    expect((await proxy(headers, 'GET', '/x', bobsConnection)).statusCode).toBe(404);
    const listed = await w.api('GET', `/api/v1/connections?teamId=${bobsTeam}`, undefined, headers);
    expect(listed.body.items).toEqual([]);
  });
});
