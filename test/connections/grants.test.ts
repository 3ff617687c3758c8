import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/catalog/catalog.ts';
import { targetUrl } from '../../src/connections/connection-client.ts';
import { isHitchError } from '../../src/errors.ts';
import {
  ANY_ENDPOINT,
  grantAllows,
  pathProblem,
  patternOfRequest,
  readOnlyPatterns,
  type EndpointPattern,
} from '../../src/connections/grants.ts';

const BASE = 'https://api.example.com/v2';

function allows(patterns: EndpointPattern[], method: string, requested: string, base = BASE): boolean {
  return grantAllows(patterns, method, targetUrl(base, requested, ['uploads.example.com']), base);
}

describe('endpoint patterns', () => {
  const issues: EndpointPattern = { method: 'GET', path: '/repos/{owner}/{repo}/issues' };

  it('lets {name} stand for exactly one non-empty segment', () => {
    expect(allows([issues], 'GET', '/repos/octo/hello/issues?state=open')).toBe(true);
    expect(allows([issues], 'GET', '/repos/octo/hello/pulls')).toBe(false);
    expect(allows([issues], 'GET', '/repos/octo/a/b/issues')).toBe(false);
    expect(allows([issues], 'GET', '/repos/octo//issues')).toBe(false);
    expect(allows([issues], 'GET', '/repos/octo/hello/issues/1')).toBe(false);
  });

  it('matches a placeholder inside a segment, literals compared decoded', () => {
    const range: EndpointPattern = { method: 'GET', path: "/sheets/{id}/range(address='{address}')" };
    expect(allows([range], 'GET', "/sheets/s1/range(address='A1%3AB2')")).toBe(true);
    expect(allows([range], 'GET', "/sheets/s1/range(addr='A1')")).toBe(false);
    expect(allows([{ method: 'GET', path: '/accounts/{sid}.json' }], 'GET', '/accounts/AC1.json')).toBe(true);
    expect(allows([{ method: 'GET', path: '/accounts/{sid}.json' }], 'GET', '/accounts/AC1.xml')).toBe(false);
  });

  it('takes a trailing * as the path itself and everything below it, and nothing beside it', () => {
    const prefix: EndpointPattern = { method: '*', path: '/repos/*' };
    expect(allows([prefix], 'DELETE', '/repos')).toBe(true);
    expect(allows([prefix], 'POST', '/repos/a/b/c')).toBe(true);
    expect(allows([prefix], 'GET', '/repositories')).toBe(false);
    expect(allows([prefix], 'GET', '/user')).toBe(false);
  });

  it('lets GET take HEAD along, and nothing else', () => {
    expect(allows([issues], 'HEAD', '/repos/a/b/issues')).toBe(true);
    expect(allows([issues], 'POST', '/repos/a/b/issues')).toBe(false);
    expect(allows([{ method: 'POST', path: '/x' }], 'GET', '/x')).toBe(false);
  });

  it('places a relative pattern below the base URL, and an origin pattern on its origin only', () => {
    const upload: EndpointPattern = { method: 'POST', origin: 'https://uploads.example.com', path: '/files' };
    expect(allows([upload], 'POST', 'https://uploads.example.com/files')).toBe(true);
    expect(allows([upload], 'POST', '/files')).toBe(false);
    expect(allows([{ method: 'POST', path: '/files' }], 'POST', 'https://uploads.example.com/files')).toBe(false);
    expect(allows([{ method: 'GET', path: '/user' }], 'GET', 'https://api.example.com/v2/user')).toBe(true);
    expect(allows([{ method: 'GET', path: '/user' }], 'GET', 'https://api.example.com/user')).toBe(false);
  });

  it('holds one call to each pattern of a list in turn, relative and origin patterns mixed', () => {
    // The path is decoded once per call and shared by the patterns: each must still judge it by its own rule.
    const list: EndpointPattern[] = [
      { method: 'POST', path: '/items' },
      { method: 'GET', origin: 'https://uploads.example.com', path: '/files/{id}' },
      { method: 'GET', path: '/users/{id}' },
      { method: 'GET', origin: '*', path: '/v2/health' },
      { method: 'GET', path: '/items' },
    ];
    expect(allows(list, 'GET', '/items')).toBe(true);
    expect(allows(list, 'GET', '/users/u%201')).toBe(true);
    expect(allows(list, 'GET', '/health')).toBe(true);
    expect(allows(list, 'GET', 'https://uploads.example.com/files/f1')).toBe(true);
    expect(allows(list, 'GET', 'https://uploads.example.com/items')).toBe(false);
    expect(allows(list, 'DELETE', '/items')).toBe(false);
    expect(allows(list, 'GET', '/users/u%252f1')).toBe(false);
    // The same paths under another base URL: each connection's base is its own.
    expect(allows(list, 'GET', '/items', 'https://api.example.com/v3')).toBe(true);
    expect(allows(list, 'GET', '/health', 'https://api.example.com/v3')).toBe(false);
    expect(allows([{ method: 'GET', path: '/v2/items' }], 'GET', '/v2/items', 'https://api.example.com')).toBe(true);
    expect(allows([{ method: 'GET', path: '/items' }], 'GET', '/v2/items', 'https://api.example.com')).toBe(false);
  });

  it('refuses a path that is still encoded after one decoding (a server that decodes twice)', () => {
    expect(allows([issues], 'GET', '/repos/%252e%252e/x/issues')).toBe(false);
    expect(allows([issues], 'GET', '/repos/a%252fb/x/issues')).toBe(false);
    // A percent sign in a value is fine.
    expect(allows([issues], 'GET', '/repos/50%25/x/issues')).toBe(true);
  });

  it('grants everything with the whole-connection pattern, as before grants', () => {
    expect(allows([ANY_ENDPOINT], 'PATCH', '/anything/at/all')).toBe(true);
    expect(allows([ANY_ENDPOINT], 'PUT', 'https://uploads.example.com/x')).toBe(true);
    expect(allows([], 'GET', '/user')).toBe(false);
  });

  it('limits patterns to GET and HEAD when read-only', () => {
    const read = readOnlyPatterns([ANY_ENDPOINT, { method: 'POST', path: '/x' }, issues]);
    expect(allows(read, 'GET', '/user')).toBe(true);
    expect(allows(read, 'HEAD', '/user')).toBe(true);
    expect(allows(read, 'POST', '/x')).toBe(false);
    expect(allows(read, 'DELETE', '/user')).toBe(false);
  });

  it('says what is wrong with a bad pattern', () => {
    expect(pathProblem('/repos/{owner}/*')).toBeNull();
    expect(pathProblem('/')).toBeNull();
    expect(pathProblem('repos')).toBe('must start with /');
    expect(pathProblem('/a/*/b')).toMatch(/only as its last segment/);
    expect(pathProblem('/a*')).toMatch(/whole last segment/);
    expect(pathProblem('/a//b')).toMatch(/empty segment/);
    expect(pathProblem('/a/../b')).toMatch(/must not contain/);
    expect(pathProblem('/a/%2E%2e/b')).toMatch(/must not contain/);
    expect(pathProblem('/a?x=1')).toMatch(/query/);
    expect(pathProblem('/a/{b')).toMatch(/braces/);
    expect(pathProblem('/a/%zz')).toMatch(/percent-encoding/);
  });
});

describe('the pattern of a catalog module’s request', () => {
  it('turns {{input}} templates into placeholders and drops the query', () => {
    expect(patternOfRequest('GET', '/repos/{{owner}}/{{ repo }}/issues?state={{state}}')).toEqual({
      method: 'GET',
      path: '/repos/{owner}/{repo}/issues',
    });
    expect(patternOfRequest('POST', 'https://api.linear.app/graphql')).toEqual({
      method: 'POST',
      origin: 'https://api.linear.app',
      path: '/graphql',
    });
    expect(patternOfRequest('GET', 'https://{{region}}.example.com/v1/x')).toEqual({
      method: 'GET',
      origin: '*',
      path: '/v1/x',
    });
    expect(patternOfRequest('DELETE', '{{url}}')).toEqual({ ...ANY_ENDPOINT, method: 'DELETE' });
  });

  /** Each built-in module, filled with sample values, calls within its own pattern: the grant never refuses a module its own call. */
  it('grants every built-in module the call it makes', () => {
    const catalog = loadCatalog({ appsDir: null });
    const sample = (template: string, encode: boolean) =>
      template.replace(/\{\{\s*[A-Za-z_][A-Za-z0-9_]*\s*\}\}/g, encode ? encodeURIComponent('v 1:x') : 'sample');
    let checked = 0;
    for (const app of catalog.list()) {
      const kind = app.connections[0]!;
      // A base URL that is a parameter as a whole (`{{instance_url}}`) stands for some https origin.
      const base =
        'baseUrl' in kind && typeof kind.baseUrl === 'string'
          ? sample(kind.baseUrl.replace(/^\{\{[^}]+\}\}/, 'https://instance.example.com'), false)
          : undefined;
      for (const module of app.modules) {
        if (!module.request) continue;
        const { method, url } = module.request;
        const requested = sample(url, true);
        let target: URL;
        try {
          target = targetUrl(base, requested, [...app.hosts, new URL(requested, 'https://x.invalid').host]);
        } catch (error) {
          // Discord's /users/@me: the proxy's path rules refuse "@" already, grants or not.
          if (isHitchError(error, 'validation_failed') && url.includes('@')) continue;
          throw error;
        }
        expect(
          grantAllows([patternOfRequest(method, url)], method, target, base),
          `${app.id}/${module.id}: ${method} ${target.href}`,
        ).toBe(true);
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThan(50);
  });
});
