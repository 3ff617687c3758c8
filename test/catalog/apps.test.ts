/**
 * Every built-in app, checked against the rules an app file must follow. New
 * apps are picked up by this test as soon as their file is in apps/:
 * - the schema accepts it (ids, required fields, templates naming declared
 *   parameters, module requests naming the module's inputs, host parameters
 *   with a pattern, no duplicate ids);
 * - every URL is https://, except in the generic `http` app;
 * - documentation links: `docsUrl` always; `authDocsUrl` with OAuth;
 *   `scopesDocsUrl` when it declares scopes; scopes or `fullAccess`;
 * - every module has a request and scopes the app declares.
 */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BUILT_IN_APPS_DIR } from '../../src/catalog/app-folder.ts';
import { loadCatalog } from '../../src/catalog/catalog.ts';
import { templateNames, type AppDefinition } from '../../src/catalog/schema.ts';

const GENERIC = 'http';
const catalog = loadCatalog({ appsDir: null, env: {} });
const apps = catalog.list();
const specific = apps.filter((a) => a.id !== GENERIC);

/** Words for people, regular expressions and example inputs may hold a URL (Shopify's gid://); they are not addresses Hitch calls. */
const PROSE = new Set(['pattern', 'help', 'description', 'label', 'name', 'example', 'notes']);

function urlsIn(value: unknown): string[] {
  if (typeof value === 'string') return /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? [value] : [];
  if (Array.isArray(value)) return value.flatMap(urlsIn);
  if (value && typeof value === 'object')
    return Object.entries(value).flatMap(([k, v]) => (PROSE.has(k) ? [] : urlsIn(v)));
  return [];
}

const hasOAuth = (app: AppDefinition) => app.connections.some((k) => k.type === 'oauth2');

describe('the built-in catalog', () => {
  it('loads: every file of apps/ is one app that passes the schema, named after its id', () => {
    const files = fs.readdirSync(BUILT_IN_APPS_DIR).filter((f) => f.endsWith('.json') && f !== 'schema.json');
    expect(apps.map((a) => `${a.id}.json`).sort()).toEqual(files.sort());
  });

  it.each(apps.map((a) => [a.id, a] as const))('%s has a name, a category and a documentation link', (_id, app) => {
    expect(app.name.trim()).not.toBe('');
    expect(app.category.trim()).not.toBe('');
    expect(app.docsUrl).toMatch(/^https:\/\//);
  });

  it.each(specific.map((a) => [a.id, a] as const))('%s uses https:// for every URL', (_id, app) => {
    for (const url of urlsIn(app)) {
      expect(url, `${app.id}: ${url}`).toMatch(/^https:\/\//);
      expect(() => new URL(url.replace(/\{\{[^}]*\}\}/g, 'x'))).not.toThrow();
    }
  });

  it.each(specific.filter(hasOAuth).map((a) => [a.id, a] as const))(
    '%s links its authorization documentation',
    (_id, app) => {
      expect(app.authDocsUrl, `${app.id}: authDocsUrl`).toMatch(/^https:\/\//);
    },
  );

  it.each(specific.map((a) => [a.id, a] as const))(
    '%s describes its permissions: scopes with their documentation, or full access',
    (_id, app) => {
      if (app.scopes.length > 0) expect(app.scopesDocsUrl, `${app.id}: scopesDocsUrl`).toMatch(/^https:\/\//);
      else expect(app.fullAccess?.docsUrl, `${app.id}: scopes or fullAccess`).toMatch(/^https:\/\//);
      for (const scope of app.scopes)
        expect(scope.description.trim().length, `${app.id}: ${scope.name}`).toBeGreaterThan(3);
    },
  );

  it.each(specific.map((a) => [a.id, a] as const))(
    '%s: each module has a request and only declared scopes',
    (_id, app) => {
      const declared = new Set(app.scopes.map((s) => s.name));
      for (const module of app.modules) {
        expect(module.request, `${app.id}.${module.id}: request`).toBeDefined();
        for (const scope of module.scopes) expect(declared.has(scope), `${app.id}.${module.id}: ${scope}`).toBe(true);
        const inputs = new Set(module.inputs.map((i) => i.name));
        for (const name of templateNames(JSON.stringify(module.request ?? {})))
          expect(inputs.has(name), `${app.id}.${module.id}: {{${name}}}`).toBe(true);
      }
    },
  );

  it.each(specific.map((a) => [a.id, a] as const))(
    '%s: a parameter inside a host has a pattern or a fixed list',
    (_id, app) => {
      for (const kind of app.connections) {
        const params = new Map(kind.parameters.map((p) => [p.name, p]));
        for (const url of urlsIn(kind)) {
          const host = url.replace(/^https?:\/\//, '').split(/[/?#]/)[0]!;
          for (const name of templateNames(host)) {
            const param = params.get(name);
            if (param)
              expect(Boolean(param.pattern || param.options?.length), `${app.id}: {{${name}}} in ${url}`).toBe(true);
          }
        }
      }
    },
  );

  it('offers the person’s own OAuth client on every OAuth kind, secret kept write-only', () => {
    for (const app of apps) {
      for (const kind of app.connections) {
        if (kind.type !== 'oauth2') continue;
        const secret = kind.parameters.find((p) => p.name === 'clientSecret');
        expect(
          kind.parameters.some((p) => p.name === 'clientId'),
          app.id,
        ).toBe(true);
        expect(secret?.secret, app.id).toBe(true);
      }
    }
  });
});

describe('the built-in catalog as a whole', () => {
  it('offers at least 60 apps, 25 of them with three or more modules, and the generic http app', () => {
    const apps = loadCatalog({ appsDir: null }).list();
    expect(apps.length).toBeGreaterThanOrEqual(60);
    expect(apps.filter((a) => a.modules.length >= 3).length).toBeGreaterThanOrEqual(25);
    expect(apps.map((a) => a.id)).toContain('http');
  });
});
