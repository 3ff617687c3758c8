/**
 * A catalog module's request keeps its inputs' types, against a local service
 * that records what it received: a select of numbers sends a JSON number even
 * when the scenario holds its text (as scenarios saved before inputs were typed
 * do, and as the web app's select gives it), a mapped number arrives as a number,
 * an empty path stays "" where the input allows it (Dropbox's root folder), and a
 * value that is not of the type is refused before any request leaves.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppInput } from '../../src/catalog/schema.ts';
import { startSharedOAuthServer } from '../connections/harness.ts';
import { APP_ID } from '../connections/harness.ts';
import { GOOD_HOST, startOrigin, type Origin } from '../helpers/origins.ts';
import { maybe } from '../helpers/maybe.ts';
import { sqliteTestStore } from '../helpers/store.ts';
import type { OAuthServer } from '../peers/oauth-server.ts';
import { openScenarioWorld, type ScenarioWorld } from './world.ts';

const TOKEN = 'typed-inputs-token-0123456789';

function typedApp(baseUrl: string): AppInput {
  return {
    id: APP_ID,
    name: 'Typed service',
    docsUrl: 'https://typed.example/docs',
    connections: [
      {
        type: 'apiKey',
        keys: [{ parameter: 'token', in: 'header', name: 'Authorization', prefix: 'Bearer' }],
        baseUrl,
        parameters: [{ name: 'token', label: 'Token', type: 'password', secret: true, required: true }],
      },
    ],
    modules: [
      {
        id: 'create-issue',
        name: 'Create an issue',
        inputs: [
          { name: 'title', label: 'Title', required: true },
          {
            name: 'priority',
            label: 'Priority',
            type: 'select',
            options: [
              { value: 1, label: 'Urgent' },
              { value: 2, label: 'High' },
            ],
          },
          { name: 'estimate', label: 'Estimate', type: 'number' },
          { name: 'archived', label: 'Archived', type: 'boolean' },
          { name: 'note', label: 'Note' },
        ],
        request: {
          method: 'POST',
          url: '/graphql',
          body: {
            variables: {
              title: '{{title}}',
              priority: '{{priority}}',
              estimate: '{{estimate}}',
              archived: '{{archived}}',
              note: '{{note}}',
            },
          },
        },
      },
      {
        id: 'list-folder',
        name: 'List a folder',
        inputs: [{ name: 'path', label: 'Folder path', default: '', allowEmpty: true }],
        request: { method: 'POST', url: '/list_folder', body: { path: '{{path}}' } },
      },
    ],
  };
}

describe('typed module inputs', () => {
  let server: OAuthServer;
  let service: Origin;
  let w: ScenarioWorld;
  let connectionId: string;

  beforeAll(async () => {
    server = await startSharedOAuthServer();
    service = await startOrigin(GOOD_HOST);
    w = await openScenarioWorld(sqliteTestStore, { server, app: typedApp(service.origin) });
    const created = await w.api('POST', '/api/v1/connections', {
      app: APP_ID,
      auth: 'apiKey',
      parameters: { token: TOKEN },
    });
    if (created.status !== 201) throw new Error(`connection: ${created.status} ${JSON.stringify(created.body)}`);
    connectionId = created.body.connection.id as string;
  });
  afterAll(async () => {
    await maybe(w)?.close();
    await maybe(service)?.close();
    await maybe(server)?.close();
  });

  async function run(modules: unknown[], inputs: Record<string, unknown> = {}) {
    const created = await w.api('POST', '/api/v1/scenarios', { name: 'Typed', modules });
    if (created.status !== 201) throw new Error(`scenario: ${created.status} ${JSON.stringify(created.body)}`);
    const ran = await w.api('POST', `/api/v1/scenarios/${created.body.id as string}/run`, { inputs });
    return ran.body.execution;
  }
  const lastBody = () => JSON.parse(service.received.at(-1)!.body) as Record<string, unknown>;

  it('sends a select of numbers, a mapped number and a boolean as JSON values, and leaves out what is not given', async () => {
    const execution = await run(
      [
        {
          id: 1,
          app: APP_ID,
          module: 'create-issue',
          connectionId,
          inputs: { title: 'Typed', priority: '2', estimate: '{{inputs.estimate}}', archived: '{{inputs.archived}}' },
        },
      ],
      { estimate: '5', archived: 'false' },
    );
    expect(execution.status).toBe('success');
    expect(lastBody()).toEqual({ variables: { title: 'Typed', priority: 2, estimate: 5, archived: false } });
  });

  it('keeps an empty path where the input allows it', async () => {
    const execution = await run([{ id: 1, app: APP_ID, module: 'list-folder', connectionId, inputs: {} }]);
    expect(execution.status).toBe('success');
    expect(lastBody()).toEqual({ path: '' });
  });

  it('refuses a value that is not of the input’s type before any request leaves', async () => {
    const before = service.received.length;
    const execution = await run(
      [
        {
          id: 1,
          app: APP_ID,
          module: 'create-issue',
          connectionId,
          inputs: { title: 'Typed', estimate: '{{inputs.estimate}}' },
        },
      ],
      { estimate: 'soon' },
    );
    expect(execution.status).toBe('error');
    expect(execution.modules[0].error.message).toBe(
      'Estimate must be a number, and it received "soon": correct the input or the mapping that fills it.',
    );
    expect(service.received.length).toBe(before);
  });
});
