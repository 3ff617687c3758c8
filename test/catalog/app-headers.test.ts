/**
 * An app's static headers (API versions such as Notion-Version) and its `apiVersion`, against a
 * local service that echoes what it received: sent on the verify request, by catalog modules, by
 * Make an API call and through the proxy; a caller's header of the same name wins; `{{apiVersion}}`
 * also fills the base URL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../src/accounts/api-tokens.ts';
import { appSchema, type AppInput } from '../../src/catalog/schema.ts';
import { GOOD_HOST, startOrigin, type Origin } from '../helpers/origins.ts';
import { maybe } from '../helpers/maybe.ts';
import { openCatalogWorld, runOneModule, type CatalogWorld } from './world.ts';

const KEY = 'versioned-key-0123456789abcdef';

function versionedApp(origin: string): AppInput {
  return {
    id: 'versioned',
    name: 'Versioned',
    docsUrl: 'https://versioned.example/docs',
    apiVersion: { value: '2022-06-28', chosenAt: '2025-01-15' },
    headers: { 'Notion-Version': '{{apiVersion}}', 'X-Client': 'hitch' },
    fullAccess: { docsUrl: 'https://versioned.example/docs' },
    modules: [
      { id: 'get-thing', name: 'Get a thing', request: { url: '/things/1' } },
      // Shopify names its version in the path: /admin/api/{{apiVersion}}/graphql.json.
      { id: 'get-versioned-thing', name: 'Get a thing by version', request: { url: '/api/{{apiVersion}}/things' } },
      {
        id: 'get-newer-thing',
        name: 'Get a thing with a newer version',
        request: { url: '/things/2', headers: { 'notion-version': '2025-09-03' } },
      },
    ],
    connections: [
      {
        type: 'apiKey',
        keys: [{ parameter: 'token', in: 'header', name: 'Authorization', prefix: 'Bearer' }],
        baseUrl: `${origin}/v{{apiVersion}}`,
        verify: { url: '/me' },
        parameters: [{ name: 'token', label: 'Token', type: 'password', required: true, secret: true }],
      },
    ],
  };
}

describe('static headers and the API version of an app', { timeout: 60_000 }, () => {
  let service: Origin;
  let w: CatalogWorld;
  let connectionId: string;
  let apiToken: string;

  beforeAll(async () => {
    service = await startOrigin(GOOD_HOST);
    w = await openCatalogWorld({ apps: [versionedApp(service.origin)] });
    const created = await w.app.inject({
      method: 'POST',
      url: '/api/v1/connections',
      headers: w.headers,
      payload: { app: 'versioned', parameters: { token: KEY } },
    });
    expect(created.statusCode, created.body).toBe(201);
    connectionId = created.json().connection.id;
    ({ token: apiToken } = await createApiToken(w.store, w.userId, 'proxy'));
  });
  afterAll(async () => {
    await maybe(w)?.close();
    await maybe(service)?.close();
  });

  const last = () => service.received.at(-1)!;

  it('sends them on the verify request, below a base URL filled with the version', () => {
    const verify = service.received.find((r) => r.url.endsWith('/me'))!;
    expect(verify.url).toBe('/v2022-06-28/me');
    expect(verify.headers).toMatchObject({ 'notion-version': '2022-06-28', 'x-client': 'hitch' });
    expect(verify.headers.authorization).toBe(`Bearer ${KEY}`);
  });

  const run = (module: string, inputs: Record<string, unknown> = {}) =>
    runOneModule(w, { app: 'versioned', module, connectionId, inputs });

  it('sends them from catalog modules, and a module’s own header of the same name wins', async () => {
    expect((await run('get-thing')).status).toBe('success');
    expect(last().headers['notion-version']).toBe('2022-06-28');
    expect((await run('get-newer-thing')).status).toBe('success');
    expect(last().headers['notion-version']).toBe('2025-09-03');
    expect(last().headers['x-client']).toBe('hitch');
  });

  it('writes the version into a module’s path', async () => {
    expect((await run('get-versioned-thing')).status).toBe('success');
    expect(last().url).toBe('/v2022-06-28/api/2022-06-28/things');
  });

  it('sends them from Make an API call, where the person may name another version', async () => {
    await run('make-api-call', { url: '/any' });
    expect(last()).toMatchObject({ url: '/v2022-06-28/any', headers: { 'notion-version': '2022-06-28' } });
    await run('make-api-call', { url: '/any', headers: { 'Notion-Version': '2026-03-11' } });
    expect(last().headers['notion-version']).toBe('2026-03-11');
  });

  it('sends them through the proxy, unless the caller sends the header itself', async () => {
    const proxied = await w.app.inject({
      method: 'GET',
      url: `/api/v1/connections/${connectionId}/proxy/users`,
      headers: { authorization: `Bearer ${apiToken}` },
    });
    expect(proxied.statusCode, proxied.body).toBe(200);
    expect(last()).toMatchObject({ url: '/v2022-06-28/users', headers: { 'notion-version': '2022-06-28' } });
    await w.app.inject({
      method: 'GET',
      url: `/api/v1/connections/${connectionId}/proxy/users`,
      headers: { authorization: `Bearer ${apiToken}`, 'notion-version': '2026-03-11' },
    });
    expect(last().headers['notion-version']).toBe('2026-03-11');
    expect(last().headers.authorization).toBe(`Bearer ${KEY}`);
  });
});

describe('the schema of static headers', () => {
  const base = versionedApp('https://versioned.example');
  const issues = (app: AppInput) => {
    const result = appSchema.safeParse(app);
    return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  };

  it('accepts the versioned app', () => {
    expect(issues(base)).toEqual([]);
  });

  it('refuses {{apiVersion}} without an apiVersion, and any other template in a header', () => {
    const withoutVersion = { ...base, apiVersion: undefined };
    expect(
      issues({ ...withoutVersion, connections: [{ ...base.connections[0]!, baseUrl: 'https://versioned.example' }] }),
    ).toEqual([
      'headers.Notion-Version: uses {{apiVersion}}: headers may use only {{apiVersion}}, with apiVersion declared',
      'modules.1.request: uses {{apiVersion}}: declare the app’s apiVersion',
    ]);
    const versionedModule = base.modules!.find((m) => m.id === 'get-versioned-thing')!;
    expect(
      issues({
        ...withoutVersion,
        headers: {},
        connections: [{ ...base.connections[0]!, baseUrl: 'https://versioned.example' }],
      }),
    ).toEqual(['modules.1.request: uses {{apiVersion}}: declare the app’s apiVersion']);
    expect(
      issues({
        ...base,
        modules: [{ ...versionedModule, inputs: [{ name: 'apiVersion', label: 'Version' }] }],
      }),
    ).toEqual(['modules.0.inputs.0: an input may not be named "apiVersion": it is the app’s version']);
    expect(issues({ ...base, headers: { 'X-Team': '{{token}}' } })).toEqual([
      'headers.X-Team: uses {{token}}: headers may use only {{apiVersion}}, with apiVersion declared',
    ]);
  });

  it('refuses credential headers and a chosenAt that is not a date', () => {
    expect(issues({ ...base, headers: { Authorization: 'Bearer fixed' } })).toEqual([
      'headers.Authorization: carries credentials or routing, which come from the connection, not the app',
    ]);
    expect(issues({ ...base, apiVersion: { value: '1', chosenAt: 'last spring' } })).toEqual([
      'apiVersion.chosenAt: must be a date written YYYY-MM-DD',
    ]);
  });
});
