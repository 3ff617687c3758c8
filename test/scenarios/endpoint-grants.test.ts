import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maybe } from '../helpers/maybe.ts';
import { dialects } from '../helpers/store.ts';
import type { Peer } from './peers.ts';
import { APP_ID, openNotesWorld, type NotesWorld, type ScenarioWorld } from './world.ts';

/**
 * Endpoint grants end to end: a scenario may call, through a connection, only
 * the endpoints its modules declare (a generic module's by its settings). A
 * call outside them is refused before any request reaches the service, and the
 * refusal names the method, the path and the module to widen.
 */
describe.each(dialects)('endpoint grants of scenarios on $name', ({ open }) => {
  let world: NotesWorld;
  let resource: Peer;
  let w: ScenarioWorld;
  let connectionId: string;
  let scenarioId: string;

  beforeAll(async () => {
    world = await openNotesWorld(open, 'Notes and more');
    ({ resource, w, connectionId, scenarioId } = world);
  });
  afterAll(async () => maybe(world)?.close());

  const save = (modules: unknown[]) => w.api('PATCH', `/api/v1/scenarios/${scenarioId}`, { modules });
  const run = () => w.api('POST', `/api/v1/scenarios/${scenarioId}/run`, {});
  const readNotes = () => ({ id: 1, app: APP_ID, module: 'read-notes', connectionId, inputs: {} });
  const apiCall = (inputs: Record<string, unknown>) => ({
    id: 2,
    app: APP_ID,
    module: 'make-api-call',
    connectionId,
    inputs: { url: '/admin/users', ...inputs },
  });
  const pathsReceived = () => resource.received.map((r) => r.url);

  it('lets a generic module without settings reach the whole connection, as before', async () => {
    expect((await save([readNotes(), apiCall({})])).status).toBe(200);
    const before = resource.received.length;
    const result = await run();
    expect(result.status).toBe(200);
    expect(result.body.execution.status).toBe('success');
    expect(pathsReceived().slice(before)).toEqual(['/notes', '/admin/users']);

    const permissions = await w.api('GET', `/api/v1/scenarios/${scenarioId}/permissions`);
    expect(permissions.body.connections[0].endpoints).toEqual([
      { method: 'GET', path: '/notes', modules: [1] },
      { method: '*', origin: '*', path: '/*', modules: [2] },
    ]);
  });

  it('refuses, before any request, what a narrowed module set no longer grants, while its own modules still work', async () => {
    expect((await save([readNotes(), apiCall({ grantMethod: 'GET', grantPath: '/notes/*' })])).status).toBe(200);
    const permissions = await w.api('GET', `/api/v1/scenarios/${scenarioId}/permissions`);
    expect(permissions.body.connections[0].endpoints).toEqual([
      { method: 'GET', path: '/notes', modules: [1] },
      { method: 'GET', path: '/notes/*', modules: [2] },
    ]);

    const before = resource.received.length;
    const result = await run();
    expect(result.status).toBe(200);
    const { execution } = result.body;
    expect(execution.status).toBe('error');
    expect(execution.modules[0]).toMatchObject({ id: 1, status: 'success' });
    expect(execution.modules[1]).toMatchObject({ id: 2, status: 'error', error: { code: 'endpoint_not_granted' } });
    const message: string = execution.modules[1].error.message;
    expect(message).toContain('GET /admin/users');
    expect(message).toContain('Scenario "Notes and more"');
    expect(message).toContain('module 2 (Make an API call)');
    // Only module 1's call reached the service.
    expect(pathsReceived().slice(before)).toEqual(['/notes']);

    const events = await w.store.db
      .selectFrom('events')
      .selectAll()
      .where('type', '=', 'connection.endpoint_refused')
      .where('connection_id', '=', connectionId)
      .execute();
    expect(events).toHaveLength(1);
    expect(events[0]!.message).toBe(message);
  });

  it('refuses a write with a GET-only setting, and lets the module call what it is granted', async () => {
    expect(
      (await save([apiCall({ method: 'POST', url: '/notes/x', grantMethod: 'GET', grantPath: '/notes/*' })])).status,
    ).toBe(200);
    const before = resource.received.length;
    const refused = (await run()).body.execution.modules[0];
    expect(refused.error.code).toBe('endpoint_not_granted');
    expect(refused.error.message).toContain('POST /notes/x');
    expect(resource.received.length).toBe(before);

    expect((await save([apiCall({ url: '/notes/x', grantMethod: 'GET', grantPath: '/notes/*' })])).status).toBe(200);
    expect((await run()).body.execution.status).toBe('success');
    expect(pathsReceived().at(-1)).toBe('/notes/x');
  });

  it('cannot be escaped by traversal spellings in the module’s URL', async () => {
    const before = resource.received.length;
    for (const url of [
      '/notes/../admin',
      '/notes/%2e%2e/admin',
      '/notes/%2E%2E/admin',
      '/notes/..%2fadmin',
      '/notes/a%252f..',
    ]) {
      expect((await save([apiCall({ url, grantPath: '/notes/{id}' })])).status, url).toBe(200);
      const record = (await run()).body.execution.modules[0];
      expect(record.status, url).toBe('error');
      expect(['endpoint_not_granted', 'validation_failed'], url).toContain(record.error.code);
    }
    expect(resource.received.length).toBe(before);
  });

  it('refuses a bad or mapped setting when the scenario is saved', async () => {
    const bad = await save([apiCall({ grantPath: 'notes/*' })]);
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'validation_failed', field: 'modules.0.inputs.grantPath', module: 2 });
    expect(bad.body.error.message).toBe('Module 2 (Make an API call): The allowed path must start with /.');

    const mapped = await save([readNotes(), { ...apiCall({ grantPath: '{{1.body.path}}' }), id: 2 }]);
    expect(mapped.status).toBe(400);
    expect(mapped.body.error.field).toBe('modules.1.inputs.grantPath');

    const method = await save([apiCall({ grantMethod: 'TRACE' })]);
    expect(method.status).toBe(400);
    expect(method.body.error.field).toBe('modules.0.inputs.grantMethod');
  });
});
