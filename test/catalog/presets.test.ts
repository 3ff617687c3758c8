import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CatalogError, loadCatalog } from '../../src/catalog/catalog.ts';

/** App files that `extends` a preset: the built-in ones (apps/presets/) and an administrator's own (HITCH_APPS_DIR/presets/). */
describe('presets', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hitch-presets-'));
    fs.mkdirSync(path.join(dir, 'presets'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const write = (file: string, content: unknown) => fs.writeFileSync(path.join(dir, file), JSON.stringify(content));
  const load = () => loadCatalog({ appsDir: dir, env: {} });
  const problems = (): string[] => {
    try {
      load();
    } catch (error) {
      expect(error).toBeInstanceOf(CatalogError);
      return (error as CatalogError).problems.map((p) => `${path.basename(p.file)}: ${p.path}: ${p.message}`);
    }
    throw new Error('the catalog loaded');
  };

  /** An administrator's preset: a regional host as a parameter, and a scope list given whole. */
  const acmePreset = {
    notes: ['Acme’s sign-in, shared by its products.'],
    parameters: {
      region: { description: 'the region’s host label: eu or us' },
      scopes: { description: 'the scopes every connection asks for' },
    },
    app: {
      authDocsUrl: 'https://acme.example/docs/oauth',
      fullAccess: { docsUrl: 'https://acme.example/docs/access', description: 'Everything in your account.' },
      connections: [
        {
          type: 'oauth2',
          authorizeUrl: 'https://${region}.acme.example/oauth/authorize',
          tokenUrl: 'https://${region}.acme.example/oauth/token',
          baseScopes: '${scopes}',
          baseUrl: 'https://${region}.acme.example/{{workspace}}/api',
          parameters: [{ name: 'workspace', label: 'Workspace', required: true, pattern: '^[a-z0-9-]+$' }],
        },
      ],
    },
  };
  const acmeApp = (extra: Record<string, unknown> = {}) => ({
    extends: { preset: 'acme', with: { region: 'eu', scopes: ['offline'] } },
    id: 'acme-crm',
    name: 'Acme CRM',
    docsUrl: 'https://acme.example/docs/crm',
    ...extra,
  });

  const ownClient = [expect.objectContaining({ name: 'clientId' }), expect.objectContaining({ name: 'clientSecret' })];

  it('builds an app on a built-in preset with its parameters, the file’s arrays replacing the preset’s', () => {
    write('search-console.json', {
      $schema: './schema.json',
      extends: { preset: 'google', with: { baseUrl: 'https://searchconsole.googleapis.com/v1' } },
      id: 'search-console',
      name: 'Search Console',
      docsUrl: 'https://developers.google.com/webmaster-tools/v1/api_reference_index',
      hosts: ['openidconnect.googleapis.com', 'www.googleapis.com'],
      scopes: [{ name: 'openid', description: 'Confirm who you are on Google.' }],
    });
    write('wiki.json', { extends: { preset: 'atlassian', with: { product: 'confluence' } }, id: 'wiki', name: 'Wiki' });
    const catalog = load();
    const app = catalog.require('search-console');
    const [kind] = app.connections;
    expect(kind).toMatchObject({
      type: 'oauth2',
      tokenUrl: 'https://oauth2.googleapis.com/token',
      baseUrl: 'https://searchconsole.googleapis.com/v1',
      authorizeParameters: { access_type: 'offline', prompt: 'consent' },
    });
    expect(app.authDocsUrl).toBe('https://developers.google.com/identity/protocols/oauth2/web-server');
    expect(app.hosts).toEqual(['openidconnect.googleapis.com', 'www.googleapis.com']);
    expect(app.scopes).toEqual([{ name: 'openid', description: 'Confirm who you are on Google.' }]);
    expect(app).not.toHaveProperty('extends');
    expect(app).not.toHaveProperty('$schema');
    // The preset's ${product} is filled in; the connection's {{cloudId}} is left for each connection.
    expect(catalog.require('wiki').connections[0]).toMatchObject({
      baseUrl: 'https://api.atlassian.com/ex/confluence/{{cloudId}}',
      parameters: [expect.objectContaining({ name: 'cloudId', required: false }), ...ownClient],
    });
  });

  it('takes an administrator’s preset from HITCH_APPS_DIR/presets: objects merged deeply, a whole-string ${…} keeping its type', () => {
    write('presets/acme.json', acmePreset);
    write('acme-crm.json', acmeApp({ fullAccess: { description: 'Your CRM data.' } }));
    const app = load().require('acme-crm');
    expect(app.fullAccess).toEqual({ docsUrl: 'https://acme.example/docs/access', description: 'Your CRM data.' });
    expect(app.connections[0]).toMatchObject({
      authorizeUrl: 'https://eu.acme.example/oauth/authorize',
      baseUrl: 'https://eu.acme.example/{{workspace}}/api',
      baseScopes: ['offline'],
    });
  });

  it('names the file and lists the presets when the preset does not exist', () => {
    write('acme-crm.json', acmeApp({ extends: 'gogle' }));
    expect(problems()).toEqual([
      'acme-crm.json: extends: there is no preset "gogle"; the presets are: atlassian, google, microsoft',
    ]);
  });

  it('names every parameter that is missing or unknown', () => {
    write('presets/acme.json', acmePreset);
    write('acme-crm.json', acmeApp({ extends: { preset: 'acme', with: { regoin: 'eu', scopes: [] } } }));
    write('jira-copy.json', { extends: 'atlassian', id: 'jira-copy', name: 'Jira copy' });
    expect(problems()).toEqual([
      'acme-crm.json: extends.with: the preset "acme" needs "region" (the region’s host label: eu or us); give it in "with"',
      'acme-crm.json: extends.with.regoin: the preset "acme" has no parameter "regoin"; it takes: region, scopes',
      expect.stringMatching(/^jira-copy\.json: extends\.with: the preset "atlassian" needs "product"/),
    ]);
  });

  it('refuses a value that is not text where the preset puts it inside a text', () => {
    write('presets/acme.json', acmePreset);
    write('acme-crm.json', acmeApp({ extends: { preset: 'acme', with: { region: { eu: true }, scopes: [] } } }));
    expect(problems()).toEqual([
      'acme-crm.json: extends.with.region: must be a string, a number or a boolean: the preset "acme" puts it inside a text',
    ]);
  });

  it('says when a problem is in a value the preset gave', () => {
    write('presets/acme.json', acmePreset);
    write('acme-crm.json', acmeApp({ extends: { preset: 'acme', with: { region: 'eu', scopes: 'offline' } } }));
    expect(problems()).toEqual([
      expect.stringMatching(/^acme-crm\.json: connections\.0\.baseScopes: .* \(a value of the preset "acme"\)$/),
    ]);
  });

  it('checks the preset itself: parameters it uses must be declared, fields must be an app’s', () => {
    write('presets/acme.json', {
      ...acmePreset,
      app: { ...acmePreset.app, id: 'acme', docsUrl: 'https://${host}/docs', scope: [] },
    });
    write('acme-crm.json', acmeApp());
    expect(problems()).toEqual([
      'acme.json: app.id: "id" is not a field a preset may give an app',
      'acme.json: app.scope: "scope" is not a field a preset may give an app',
      "acme.json: app.docsUrl: uses ${host}, which is not one of the preset's parameters",
      'acme-crm.json: extends: there is no preset "acme"; the presets are: atlassian, google, microsoft',
    ]);
  });
});
