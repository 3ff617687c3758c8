import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { otherUser, startSharedOAuthServer } from '../connections/harness.ts';
import { sqliteTestStore } from '../helpers/store.ts';
import { login, newUser, browser } from '../http/app.ts';
import type { OAuthServer } from '../peers/oauth-server.ts';
import { startHttpPeer, type Peer } from './peers.ts';
import { APP_ID, connectFor, openScenarioWorld, scopedApp, type ScenarioWorld } from './world.ts';

describe('saving a scenario', () => {
  let server: OAuthServer;
  let service: Peer;
  let w: ScenarioWorld;
  let connectionId: string;
  let basicKey: string;

  beforeAll(async () => {
    server = await startSharedOAuthServer();
    service = await startHttpPeer(() => ({ status: 200, body: {} }));
    w = await openScenarioWorld(sqliteTestStore, { server, app: scopedApp(server, service.origin) });
    connectionId = (await connectFor(w)).id;
    basicKey = (
      await w.api('POST', '/api/v1/keys', {
        name: 'b',
        type: 'basic',
        parameters: { username: 'u', password: 'p' },
        origins: ['https://example.com'],
      })
    ).body.id;
  });
  afterAll(async () => {
    await w.close();
    await service.close();
    await server.close();
  });

  const save = (modules: unknown[]) => w.api('POST', '/api/v1/scenarios', { name: 'S', modules });

  it.each([
    ['an unknown app', [{ id: 1, app: 'nope', module: 'x', inputs: {} }], 'modules.0.app', 1],
    ['an unknown module', [{ id: 1, app: APP_ID, module: 'nope', inputs: {} }], 'modules.0.module', 1],
    [
      'an unknown input',
      [{ id: 1, app: 'http', module: 'make-request', inputs: { url: 'https://example.com', colour: 'red' } }],
      'modules.0.inputs.colour',
      1,
    ],
    [
      'a missing required input',
      [{ id: 3, app: APP_ID, module: 'write-note', inputs: {} }],
      'modules.0.inputs.title',
      3,
    ],
    [
      'an input of the wrong type',
      [{ id: 1, app: 'http', module: 'make-request', inputs: { url: 'https://example.com', timeout: 'soon' } }],
      'modules.0.inputs.timeout',
      1,
    ],
    [
      'a select outside its options',
      [{ id: 1, app: 'http', module: 'make-request', inputs: { url: 'https://example.com', method: 'FETCH' } }],
      'modules.0.inputs.method',
      1,
    ],
    [
      'a mapping of a later module',
      [
        { id: 1, app: 'http', module: 'make-request', inputs: { url: '{{2.body.url}}' } },
        { id: 2, app: 'http', module: 'make-request', inputs: { url: 'https://example.com' } },
      ],
      'modules.0.inputs.url',
      1,
    ],
    [
      'two modules with one id',
      [
        { id: 1, app: 'http', module: 'make-request', inputs: { url: 'https://a.example' } },
        { id: 1, app: 'http', module: 'make-request', inputs: { url: 'https://b.example' } },
      ],
      'modules.1.id',
      1,
    ],
    [
      'a key on a module that takes none',
      [{ id: 1, app: 'http', module: 'make-request', keyId: 'k', inputs: { url: 'https://a.example' } }],
      'modules.0.keyId',
      1,
    ],
  ])('refuses %s, naming the module and field', async (_case, modules, field, module) => {
    const response = await save(modules);
    expect(response.status).toBe(400);
    expect(response.body.error).toMatchObject({ code: 'validation_failed', field, module });
    expect(response.body.error.message).toContain(`Module ${module}`);
  });

  it('refuses a connection of another app, a key of another type, and another team’s connection', async () => {
    const wrongApp = await save([
      { id: 1, app: 'http', module: 'make-oauth2-request', connectionId, inputs: { url: '/x' } },
    ]);
    expect(wrongApp.body.error).toMatchObject({ field: 'modules.0.connectionId', module: 1 });
    expect(wrongApp.body.error.message).toContain('needs a connection to http');
    const wrongKey = await save([
      {
        id: 2,
        app: 'http',
        module: 'make-api-key-auth-request',
        keyId: basicKey,
        inputs: { url: 'https://a.example' },
      },
    ]);
    expect(wrongKey.body.error).toMatchObject({ field: 'modules.0.keyId', module: 2 });
    expect(wrongKey.body.error.message).toContain('needs a key of type apiKey');

    const mallory = await otherUser({ t: { app: w.hitch.app, store: w.store } } as never);
    const stolen = await w.api(
      'POST',
      '/api/v1/scenarios',
      { name: 'Mine', modules: [{ id: 1, app: APP_ID, module: 'read-notes', connectionId, inputs: {} }] },
      mallory.headers,
    );
    expect(stolen.status).toBe(400);
    expect(stolen.body.error.field).toBe('modules.0.connectionId');
  });

  it('keeps scenarios, runs and keys within the team', async () => {
    const mine = await save([{ id: 1, app: 'http', module: 'make-request', inputs: { url: `${service.origin}/x` } }]);
    expect(mine.status).toBe(201);
    const stranger = await newUser({ store: w.store } as never, { team: { name: 'Other' } });
    const headers = browser(await login(w.hitch.app, stranger.user.email));
    for (const [method, url] of [
      ['GET', `/api/v1/scenarios/${mine.body.id}`],
      ['POST', `/api/v1/scenarios/${mine.body.id}/run`],
      ['GET', `/api/v1/scenarios/${mine.body.id}/executions`],
      ['GET', `/api/v1/keys/${basicKey}`],
      ['DELETE', `/api/v1/keys/${basicKey}`],
    ] as const) {
      expect((await w.api(method, url, method === 'POST' ? {} : undefined, headers)).status).toBe(404);
    }
    expect((await w.api('GET', '/api/v1/scenarios', undefined, headers)).body.items).toEqual([]);
  });
});
