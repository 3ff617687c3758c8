import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CatalogError, loadCatalog } from '../../src/catalog/catalog.ts';
import type { AppInput } from '../../src/catalog/schema.ts';

const app = (overrides: Record<string, unknown> = {}, kind: Record<string, unknown> = {}): AppInput => ({
  id: 'acme',
  name: 'Acme',
  docsUrl: 'https://acme.example/docs',
  scopes: [{ name: 'read', description: 'Read your data' }],
  connections: [
    {
      type: 'oauth2',
      authorizeUrl: 'https://acme.example/oauth/authorize',
      tokenUrl: 'https://acme.example/oauth/token',
      baseUrl: 'https://api.acme.example',
      ...kind,
    },
  ],
  ...overrides,
});

describe('loading HITCH_APPS_DIR', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hitch-apps-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const write = (file: string, content: unknown) =>
    fs.writeFileSync(path.join(dir, file), typeof content === 'string' ? content : JSON.stringify(content));
  const failure = (): string => {
    try {
      loadCatalog({ appsDir: dir, env: {} });
    } catch (error) {
      expect(error).toBeInstanceOf(CatalogError);
      return (error as Error).message;
    }
    throw new Error('the catalog loaded');
  };

  it('adds an administrator’s app, and a file with a built-in id replaces the built-in app', () => {
    write('acme.json', app());
    write('http.json', app({ id: 'http', name: 'In-house HTTP' }));
    const catalog = loadCatalog({ appsDir: dir, env: {} });
    expect(catalog.require('acme').name).toBe('Acme');
    expect(catalog.require('http').name).toBe('In-house HTTP');
    expect(catalog.list().filter((a) => a.id === 'http')).toHaveLength(1);
  });

  it('stops on a file that is not JSON, naming the file, the line and the column', () => {
    write('broken.json', '{\n  "id": "acme",\n  "name": }\n');
    expect(failure()).toBe(
      `An app file is not valid: ${path.join(dir, 'broken.json')}: is not valid JSON at line 3, column 11: expected a value`,
    );
  });

  it('reports every problem of every file at once, file by file, one sentence each', () => {
    write('a-broken.json', '{ "id": "x", ');
    write(
      'b-acme.json',
      app(
        { name: '', modules: [{ id: 'get', name: 'Get', scopes: ['write'], request: { url: '/items/{{id}}' } }] },
        { tokenUrl: 'ftp://acme.example/token', baseUrl: 'https://{{region}}.acme.example' },
      ),
    );
    write('c-other.json', app({ id: 'other', category: 7, docsUrl: 'not a url' }, { type: 'oauth2', authorizeUrl: 3 }));
    let error: CatalogError | undefined;
    try {
      loadCatalog({ appsDir: dir, env: {} });
    } catch (caught) {
      error = caught as CatalogError;
    }
    expect(error).toBeInstanceOf(CatalogError);
    const lines = error!.problems.map((p) => `${path.basename(p.file)}: ${p.path}: ${p.message}`);
    expect(lines).toEqual([
      'a-broken.json: : is not valid JSON at line 1, column 14: expected a property name',
      'b-acme.json: name: must not be empty',
      'b-acme.json: connections.0.tokenUrl: must be an http(s) URL or start with a {{parameter}}',
      'b-acme.json: connections.0.baseUrl: uses {{region}}, which is not a declared parameter',
      'b-acme.json: modules.0.request.url: uses {{id}}, which is not an input of the module',
      'b-acme.json: modules.0.scopes: scope "write" is not declared in the app\'s scopes',
      expect.stringMatching(/^c-other\.json: category: Invalid input: expected string, received number$/),
      expect.stringMatching(/^c-other\.json: docsUrl: /),
      expect.stringMatching(/^c-other\.json: connections\.0\.authorizeUrl: /),
    ]);
    // The message people see at start-up holds them all, one per line.
    expect(error!.message.split('\n')).toHaveLength(1 + lines.length);
    expect(error!.message).toContain(
      `${path.join(dir, 'b-acme.json')}: connections.0.tokenUrl: must be an http(s) URL`,
    );
  });

  it('skips schema.json, the JSON Schema an administrator may copy beside the files', () => {
    write('schema.json', { $schema: 'https://json-schema.org/draft/2020-12/schema', type: 'object' });
    write('acme.json', app());
    expect(loadCatalog({ appsDir: dir, env: {} }).require('acme').name).toBe('Acme');
  });

  it('refuses two files with the same id, naming both', () => {
    write('acme.json', app());
    write('acme-copy.json', app({ name: 'Acme again' }));
    expect(failure()).toMatch(/acme\.json: id: "acme" is already the id of .*acme-copy\.json; give each app one file/);
  });

  it.each([
    ['a missing field', app({ name: undefined }), /name/],
    ['an unknown field (a typo)', app({ scope: [] }), /scope/],
    ['an unknown kind of authorization', app({}, { type: 'kerberos' }), /connections\.0\.type/],
    [
      'a token URL that is not a URL',
      app({}, { tokenUrl: 'https://acme example/token' }),
      /connections\.0\.tokenUrl: tokenUrl is not a valid URL template/,
    ],
    [
      'a template naming no parameter',
      app({}, { baseUrl: 'https://{{region}}.acme.example' }),
      /connections\.0\.baseUrl: uses \{\{region\}\}/,
    ],
    [
      'a host parameter without a pattern',
      app({}, { baseUrl: 'https://{{shop}}.acme.example', parameters: [{ name: 'shop', label: 'Shop' }] }),
      /parameter "shop" needs a pattern/,
    ],
    [
      'a pattern that is not a regular expression',
      app({}, { parameters: [{ name: 'shop', label: 'Shop', pattern: '[a-z' }] }),
      /connections\.0\.parameters\.0\.pattern: is not a valid regular expression/,
    ],
    [
      'a parameter declared twice',
      app(
        {},
        {
          parameters: [
            { name: 'shop', label: 'Shop' },
            { name: 'shop', label: 'Shop' },
          ],
        },
      ),
      /parameter "shop" is declared twice/,
    ],
    [
      'a module id used twice',
      app({
        modules: [
          { id: 'get', name: 'Get', request: { url: '/a' } },
          { id: 'get', name: 'Get again', request: { url: '/b' } },
        ],
      }),
      /module "get" is declared twice/,
    ],
    [
      'a module scope the app does not declare',
      app({ modules: [{ id: 'get', name: 'Get', scopes: ['write'], request: { url: '/a' } }] }),
      /modules\.0\.scopes: scope "write" is not declared/,
    ],
    [
      'a module request naming something that is not its input',
      app({
        modules: [
          {
            id: 'get',
            name: 'Get',
            inputs: [{ name: 'id', label: 'Id' }],
            request: { url: '/items/{{id}}', query: { q: '{{search}}' } },
          },
        ],
      }),
      /modules\.0\.request\.query\.q: uses \{\{search\}\}, which is not an input/,
    ],
    ['a documentation link that is not http(s)', app({ authDocsUrl: 'ftp://acme.example/docs' }), /authDocsUrl/],
  ])('stops on %s, naming the file and the field', (_what, content, field) => {
    write('acme.json', content);
    const message = failure();
    expect(message).toContain(path.join(dir, 'acme.json'));
    expect(message).toMatch(field);
  });
});

describe('platform clients', () => {
  it('come from HITCH_APP_<ID>_CLIENT_ID, with the id in upper snake case', () => {
    const catalog = loadCatalog({
      appsDir: null,
      extraApps: [app({ id: 'acme-crm' })],
      env: { HITCH_APP_ACME_CRM_CLIENT_ID: 'id', HITCH_APP_ACME_CRM_CLIENT_SECRET: 'secret' },
    });
    expect(catalog.hasPlatformClient('acme-crm')).toBe(true);
    expect(catalog.hasPlatformClient('http')).toBe(false);
  });
});
