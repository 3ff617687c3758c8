import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BUILT_IN_APPS_DIR } from '../../src/catalog/app-folder.ts';
import type { AppInput } from '../../src/catalog/schema.ts';
import { openCatalogWorld, REDIRECT_URI, type CatalogWorld } from './world.ts';
import { maybe } from '../helpers/maybe.ts';

const PLATFORM_SECRET = 'platform-secret-never-shown';

const acme: AppInput = {
  id: 'acme-crm',
  name: 'Acme CRM',
  category: 'CRM',
  docsUrl: 'https://acme.example/docs',
  authDocsUrl: 'https://acme.example/docs/oauth',
  scopesDocsUrl: 'https://acme.example/docs/scopes',
  scopes: [
    { name: 'contacts.read', description: 'See your contacts' },
    { name: 'contacts.write', description: 'Change your contacts' },
  ],
  connections: [
    {
      type: 'oauth2',
      authorizeUrl: 'https://{{region}}.acme.example/oauth/authorize',
      tokenUrl: 'https://{{region}}.acme.example/oauth/token',
      baseUrl: 'https://{{region}}.acme.example/api',
      tokenParameters: { audience: 'internal-audience' },
      parameters: [
        {
          name: 'region',
          label: 'Region',
          type: 'select',
          required: true,
          default: 'eu',
          options: [
            { value: 'eu', label: 'Europe' },
            { value: 'us', label: 'United States' },
          ],
        },
        {
          name: 'tenant',
          label: 'Tenant',
          pattern: '[a-z0-9-]{1,40}',
          advanced: true,
          editable: true,
          help: 'Your tenant, as in the address bar.',
        },
        {
          name: 'apiPassword',
          label: 'API password',
          type: 'password',
          secret: true,
          advanced: true,
          default: 'never-shown-default',
        },
      ],
    },
  ],
  modules: [
    {
      id: 'list-contacts',
      name: 'List contacts',
      scopes: ['contacts.read'],
      inputs: [{ name: 'limit', label: 'Limit', type: 'number' }],
      request: { url: '/contacts', query: { limit: '{{limit}}' } },
    },
    {
      id: 'create-contact',
      name: 'Create a contact',
      scopes: ['contacts.write'],
      inputs: [{ name: 'email', label: 'Email', required: true }],
      request: { method: 'POST', url: '/contacts', body: { email: '{{email}}' } },
    },
  ],
};

describe('GET /api/v1/apps', () => {
  let w: CatalogWorld;
  afterEach(async () => maybe(w)?.close());

  it('lists every app with its kinds of authorization and its modules’ scopes', async () => {
    w = await openCatalogWorld({ apps: [acme] });
    const res = await w.app.inject({ method: 'GET', url: '/api/v1/apps', headers: w.headers });
    expect(res.statusCode).toBe(200);
    const { items } = res.json<{ items: Array<Record<string, unknown>> }>();
    expect(items.find((a) => a.id === 'acme-crm')).toEqual({
      id: 'acme-crm',
      name: 'Acme CRM',
      category: 'CRM',
      auth: ['oauth2'],
      modules: [
        { id: 'list-contacts', name: 'List contacts', scopes: ['contacts.read'] },
        { id: 'create-contact', name: 'Create a contact', scopes: ['contacts.write'] },
        { id: 'make-api-call', name: 'Make an API call', scopes: [] },
      ],
    });
    expect(items.find((a) => a.id === 'http')?.auth).toContain('oauth2');
  });

  it('lists every module an app offers: the HTTP app’s built-in requests, and “Make an API call” for every app', async () => {
    w = await openCatalogWorld({ apps: [acme] });
    const http = await w.app.inject({ method: 'GET', url: '/api/v1/apps/http', headers: w.headers });
    expect(http.statusCode).toBe(200);
    expect(http.json().modules.map((m: { id: string }) => m.id)).toEqual([
      'make-request',
      'make-basic-auth-request',
      'make-api-key-auth-request',
      'make-oauth2-request',
      'make-oauth1-request',
      'make-client-certificate-request',
      'make-api-call',
    ]);
    expect(http.json().modules[0]).toMatchObject({ name: expect.any(String), inputs: expect.any(Array) });
    const acmeModules = await w.app.inject({ method: 'GET', url: '/api/v1/apps/acme-crm', headers: w.headers });
    expect(acmeModules.json().modules.map((m: { id: string }) => m.id)).toEqual([
      'list-contacts',
      'create-contact',
      'make-api-call',
    ]);
  });

  it('serves the JSON Schema of an app file, as committed in apps/schema.json', async () => {
    w = await openCatalogWorld();
    const res = await w.app.inject({ method: 'GET', url: '/api/v1/apps/schema.json', headers: w.headers });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.json()).toEqual(JSON.parse(fs.readFileSync(path.join(BUILT_IN_APPS_DIR, 'schema.json'), 'utf8')));
    expect(
      res
        .json()
        .properties.connections.items.oneOf.map(
          (k: { properties: { type: { const: string } } }) => k.properties.type.const,
        ),
    ).toEqual(expect.arrayContaining(['oauth2', 'apiKey', 'basic']));
    const anonymous = await w.app.inject({ method: 'GET', url: '/api/v1/apps/schema.json' });
    expect(anonymous.statusCode).toBe(401);
  });

  it('asks who is calling', async () => {
    w = await openCatalogWorld();
    const res = await w.app.inject({ method: 'GET', url: '/api/v1/apps' });
    expect(res.statusCode).toBe(401);
  });

  it('describes one app: parameters and their flags, scopes, modules, documentation, redirect URI — and nothing secret', async () => {
    w = await openCatalogWorld({
      apps: [acme],
      env: { HITCH_APP_ACME_CRM_CLIENT_ID: 'platform-client', HITCH_APP_ACME_CRM_CLIENT_SECRET: PLATFORM_SECRET },
    });
    const res = await w.app.inject({ method: 'GET', url: '/api/v1/apps/acme-crm', headers: w.headers });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({
      id: 'acme-crm',
      docsUrl: 'https://acme.example/docs',
      authDocsUrl: 'https://acme.example/docs/oauth',
      scopesDocsUrl: 'https://acme.example/docs/scopes',
      scopes: acme.scopes,
      fullAccess: null,
    });
    const [kind] = body.auth;
    expect(kind).toMatchObject({
      type: 'oauth2',
      flow: 'authorization_code',
      redirectUri: REDIRECT_URI,
      platformClient: true,
      baseScopes: [],
    });
    const param = (name: string) => kind.parameters.find((p: { name: string }) => p.name === name);
    expect(param('region')).toMatchObject({
      required: true,
      secret: false,
      advanced: false,
      editable: false,
      default: 'eu',
      options: [
        { value: 'eu', label: 'Europe' },
        { value: 'us', label: 'United States' },
      ],
    });
    expect(param('tenant')).toMatchObject({
      pattern: '[a-z0-9-]{1,40}',
      advanced: true,
      editable: true,
      help: 'Your tenant, as in the address bar.',
    });
    expect(param('apiPassword')).toMatchObject({ secret: true });
    expect(param('apiPassword')).not.toHaveProperty('default');
    // The person's own client is always offered, under advanced settings.
    expect(param('clientId')).toMatchObject({ advanced: true, secret: false });
    expect(param('clientSecret')).toMatchObject({ advanced: true, secret: true });
    expect(body.modules[1]).toMatchObject({
      id: 'create-contact',
      scopes: ['contacts.write'],
      inputs: [{ name: 'email', label: 'Email', type: 'text', required: true }],
    });

    for (const hidden of [
      PLATFORM_SECRET,
      'platform-client',
      'never-shown-default',
      'internal-audience',
      'oauth/token',
    ])
      expect(res.body).not.toContain(hidden);
  });

  it('answers 404 app_not_found for an unknown app', async () => {
    w = await openCatalogWorld();
    const res = await w.app.inject({ method: 'GET', url: '/api/v1/apps/nope', headers: w.headers });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('app_not_found');
  });

  it('without a platform client: says so, and asks the person for their own client before anything is created', async () => {
    w = await openCatalogWorld({ apps: [acme] });
    const described = await w.app.inject({ method: 'GET', url: '/api/v1/apps/acme-crm', headers: w.headers });
    expect(described.json().auth[0]).toMatchObject({ platformClient: false, redirectUri: REDIRECT_URI });

    const refused = await w.app.inject({
      method: 'POST',
      url: '/api/v1/connections',
      headers: w.headers,
      payload: { app: 'acme-crm', parameters: { region: 'us' } },
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.code).toBe('client_missing');
    const list = await w.app.inject({ method: 'GET', url: '/api/v1/connections', headers: w.headers });
    expect(list.json().items).toEqual([]);

    const own = await w.app.inject({
      method: 'POST',
      url: '/api/v1/connections',
      headers: w.headers,
      payload: {
        app: 'acme-crm',
        parameters: { region: 'us', clientId: 'my-own-client', clientSecret: 'my-own-secret' },
      },
    });
    expect(own.statusCode).toBe(201);
    const url = new URL(own.json().authorizeUrl);
    expect(url.origin).toBe('https://us.acme.example');
    expect(url.searchParams.get('client_id')).toBe('my-own-client');
    expect(own.json().connection.name).toBe('My Acme CRM connection');
  });
});
