import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects } from '../helpers/store.ts';
import { memoryLog } from '../connections/harness.ts';
import type { OAuthServer } from '../peers/oauth-server.ts';
import { startSharedOAuthServer } from '../connections/harness.ts';
import { startResourceServer, type Peer } from './peers.ts';
import { APP_ID, connectFor, openScenarioWorld, reauthorizeFor, scopedApp, type ScenarioWorld } from './world.ts';

/**
 * Least privilege end to end: a scenario's modules say which scopes they need,
 * a connection made for the scenario asks for exactly those, a new module that
 * needs more is refused before any call until the same connection is extended.
 */
describe.each(dialects)('scenarios through an OAuth connection on $name', ({ open }) => {
  let server: OAuthServer;
  let resource: Peer;
  let w: ScenarioWorld;
  const logs = memoryLog('debug');
  let scenarioId: string;
  let connectionId: string;

  beforeAll(async () => {
    server = await startSharedOAuthServer();
    resource = await startResourceServer(server.userinfoEndpoint);
    w = await openScenarioWorld(open, { server, app: scopedApp(server, resource.origin), log: logs.log });
  });
  afterAll(async () => {
    await w.close();
    await resource.close();
    await server.close();
  });

  const run = (id = scenarioId, inputs?: Record<string, unknown>) =>
    w.api('POST', `/api/v1/scenarios/${id}/run`, inputs ? { inputs } : {});

  it('asks only for the scopes the scenario needs, then runs through the connection', async () => {
    const created = await w.api('POST', '/api/v1/scenarios', {
      name: 'Notes digest',
      modules: [{ id: 1, app: APP_ID, module: 'read-notes', inputs: {} }],
    });
    expect(created.status).toBe(201);
    scenarioId = created.body.id;

    const connection = await connectFor(w, { scenarioId });
    connectionId = connection.id;
    expect(connection.requestedScopes.sort()).toEqual(['email', 'openid', 'read']);

    const saved = await w.api('PATCH', `/api/v1/scenarios/${scenarioId}`, {
      modules: [{ id: 1, app: APP_ID, module: 'read-notes', connectionId, inputs: {} }],
    });
    expect(saved.status).toBe(200);
    const permissions = await w.api('GET', `/api/v1/scenarios/${scenarioId}/permissions`);
    expect(permissions.body).toEqual({
      ok: true,
      connections: [
        expect.objectContaining({ connectionId, app: APP_ID, required: ['openid', 'email', 'read'], missing: [] }),
      ],
    });

    const result = await run();
    expect(result.status).toBe(200);
    const { execution } = result.body;
    expect(execution.status).toBe('success');
    expect(execution.modules[0]).toMatchObject({
      id: 1,
      status: 'success',
      output: { status: 200, body: { path: '/notes' }, data: [{ name: 'alpha' }, { name: 'beta' }] },
      request: { method: 'GET', url: `${resource.origin}/notes`, status: 200 },
    });
    // A cookie the service set is not kept in the execution.
    expect(execution.modules[0].output.headers['set-cookie']).toBeUndefined();
  });

  it('refuses a run before any call when a new module needs a scope the connection lacks, until reauthorize {scenarioId} extends the same connection', async () => {
    const modules = [
      { id: 1, app: APP_ID, module: 'read-notes', connectionId, inputs: {} },
      {
        id: 2,
        app: APP_ID,
        module: 'write-note',
        connectionId,
        inputs: { title: '{{1.body.items[0].name}}', after: '{{1.body.id}}' },
      },
    ];
    expect((await w.api('PATCH', `/api/v1/scenarios/${scenarioId}`, { modules })).status).toBe(200);

    const permissions = await w.api('GET', `/api/v1/scenarios/${scenarioId}/permissions`);
    expect(permissions.body.ok).toBe(false);
    expect(permissions.body.connections[0]).toMatchObject({
      connectionId,
      required: ['openid', 'email', 'read', 'write'],
      missing: ['write'],
    });

    const callsBefore = resource.received.length;
    const refused = await run();
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('scopes_missing');
    expect(refused.body.error.message).toContain('My Test IdP connection');
    expect(refused.body.error.message).toContain('write');
    expect(resource.received.length).toBe(callsBefore);

    const asked = await reauthorizeFor(w, connectionId, { scenarioId });
    expect(asked.sort()).toEqual(['email', 'openid', 'read', 'write']);
    const connection = await w.api('GET', `/api/v1/connections/${connectionId}`);
    expect(connection.body.scopes).toEqual(expect.arrayContaining(['read', 'write']));
    expect((await w.api('GET', `/api/v1/scenarios/${scenarioId}/permissions`)).body.ok).toBe(true);

    const result = await run();
    expect(result.status).toBe(200);
    expect(result.body.execution.status).toBe('success');
    // Mapping: module 2's title came from module 1's first item, `after` from module 1's id.
    const post = resource.received.at(-1)!;
    expect(post.method).toBe('POST');
    expect(post.url).toBe('/notes/alpha?after=note-6');
    expect(JSON.parse(post.body)).toEqual({ title: 'alpha' });
    expect(result.body.execution.modules[1].request.url).toBe(`${resource.origin}/notes/alpha?after=note-6`);

    const executions = await w.api('GET', `/api/v1/scenarios/${scenarioId}/executions`);
    expect(executions.body.items.map((e: { status: string }) => e.status)).toEqual(['success', 'error', 'success']);
    expect(executions.body.items[1].error.code).toBe('scopes_missing');
  });

  it('renews an expired token on its own during a run', async () => {
    await w.store.db
      .updateTable('connections')
      .set({ expires_at: Date.now() - 1000, next_refresh_at: Date.now() - 1000 })
      .where('id', '=', connectionId)
      .execute();
    w.hitch.connections.credentials.cache.clear();
    const refreshes = server.grants.refresh_token;
    const result = await run();
    expect(result.body.execution.status).toBe('success');
    expect(server.grants.refresh_token).toBe(refreshes + 1);
  });

  it('lists the scenario in usedBy, refuses to delete the connection, and replace moves the scenario to another connection of the app', async () => {
    const shown = await w.api('GET', `/api/v1/connections/${connectionId}`);
    expect(shown.body.usedBy).toEqual([{ scenarioId, name: 'Notes digest' }]);
    const refused = await w.api('DELETE', `/api/v1/connections/${connectionId}`);
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('connection_in_use');

    const other = await connectFor(w, { scenarioId, name: 'Second account' });
    const replaced = await w.api('POST', `/api/v1/connections/${connectionId}/replace`, { with: other.id });
    expect(replaced.status).toBe(200);
    expect(replaced.body.moved).toEqual([{ scenarioId, name: 'Notes digest' }]);
    const scenario = await w.api('GET', `/api/v1/scenarios/${scenarioId}`);
    expect(scenario.body.modules.map((m: { connectionId: string }) => m.connectionId)).toEqual([other.id, other.id]);
    expect((await w.api('GET', `/api/v1/connections/${connectionId}`)).body.usedBy).toEqual([]);
    expect((await w.api('GET', `/api/v1/connections/${other.id}`)).body.usedBy).toEqual([
      { scenarioId, name: 'Notes digest' },
    ]);
    const events = await w.store.db
      .selectFrom('events')
      .selectAll()
      .where('type', '=', 'connection.replaced')
      .execute();
    expect(events).toHaveLength(1);
    expect(events[0]!.connection_id).toBe(connectionId);

    expect((await w.api('DELETE', `/api/v1/connections/${connectionId}`)).status).toBe(204);
    connectionId = other.id;
    expect((await run()).body.execution.status).toBe('success');
  });

  it('pauses an active scenario when its connection needs reauthorization, and resumes after reauthorizing', async () => {
    expect(
      (await w.api('PATCH', `/api/v1/scenarios/${scenarioId}`, { active: true, schedule: { intervalMinutes: 60 } }))
        .body,
    ).toMatchObject({ active: true, pausedReason: null });
    await server.revoke('alice');
    await w.store.db
      .updateTable('connections')
      .set({ expires_at: Date.now() - 1000, next_refresh_at: Date.now() - 1000 })
      .where('id', '=', connectionId)
      .execute();
    w.hitch.connections.credentials.cache.clear();
    const callsBefore = resource.received.length;

    const failed = await run();
    expect(failed.status).toBe(200);
    expect(failed.body.execution.status).toBe('error');
    expect(failed.body.execution.modules.map((m: { status: string }) => m.status)).toEqual(['error', 'skipped']);
    expect(failed.body.execution.modules[0].error.code).toBe('reauthorization_required');
    expect(resource.received.length).toBe(callsBefore);

    const paused = await w.api('GET', `/api/v1/scenarios/${scenarioId}`);
    expect(paused.body.active).toBe(false);
    expect(paused.body.nextRunAt).toBeNull();
    expect(paused.body.pausedReason).toContain('Second account');
    const events = await w.store.db.selectFrom('events').selectAll().where('type', '=', 'scenario.paused').execute();
    expect(events.map((e) => e.connection_id)).toEqual([connectionId]);

    // The connection is known to need a person now: refused before any module runs.
    const refused = await run();
    expect(refused.status).toBe(424);
    expect(refused.body.error.code).toBe('reauthorization_required');
    expect(refused.body.error.message).toContain('Second account');

    await reauthorizeFor(w, connectionId, { scenarioId });
    const resumed = await w.api('PATCH', `/api/v1/scenarios/${scenarioId}`, { active: true });
    expect(resumed.body).toMatchObject({ active: true, pausedReason: null });
    expect(resumed.body.nextRunAt).not.toBeNull();
    expect((await run()).body.execution.status).toBe('success');
  });

  it('keeps no token, code or secret in executions, events or logs', async () => {
    const secrets = server.issuedSecrets().filter((s) => s.length >= 8);
    expect(secrets.length).toBeGreaterThan(4);
    const executions = JSON.stringify(await w.store.db.selectFrom('executions').selectAll().execute());
    const events = JSON.stringify(await w.store.db.selectFrom('events').selectAll().execute());
    const lines = logs.lines.join('\n');
    for (const secret of secrets) {
      expect(executions).not.toContain(secret);
      expect(events).not.toContain(secret);
      expect(lines).not.toContain(secret);
    }
    expect(executions.toLowerCase()).not.toContain('bearer');
  });
});
