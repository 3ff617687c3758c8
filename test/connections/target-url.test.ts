import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { targetUrl } from '../../src/connections/connection-client.ts';
import { escapesPath } from '../../src/connections/path-rules.ts';
import { isHitchError } from '../../src/errors.ts';

function refused(base: string | undefined, requested: string, hosts: string[] = []): string {
  try {
    targetUrl(base, requested, hosts);
  } catch (error) {
    if (isHitchError(error, 'validation_failed')) return error.message;
    throw error;
  }
  throw new Error(`${requested} was not refused`);
}

describe('targetUrl: where a request through a connection may go', () => {
  const base = 'https://api.example.com/v2/';

  it('joins a path below the base URL, keeping its query', () => {
    expect(targetUrl(base, '/repos?per_page=5').href).toBe('https://api.example.com/v2/repos?per_page=5');
    expect(targetUrl('https://api.example.com', '/x').href).toBe('https://api.example.com/x');
    expect(targetUrl(base, '/').href).toBe('https://api.example.com/v2/');
  });

  it('makes the URL the WHATWG setters make, for any path, whichever way it builds it', () => {
    // The URL as the pathname and search setters build it: what targetUrl did before it parsed the joined text.
    const bySetters = (baseUrl: string, requested: string): string => {
      const parsed = new URL(baseUrl);
      const url = new URL(parsed.origin);
      const i = requested.indexOf('?');
      url.pathname = `${parsed.pathname.replace(/\/+$/, '')}${i === -1 ? requested : requested.slice(0, i)}`;
      url.search = i === -1 ? '' : requested.slice(i);
      return url.href;
    };
    const pathChar = fc.constantFrom(
      ...'abz09-._~!$&\'()*+,;=:/?#[]{}|^`"<> %\t\né€😀\u0000'.split(''),
      '%41',
      '%zz',
      '?',
    );
    fc.assert(
      fc.property(
        fc.constantFrom(base, 'https://api.example.com', 'http://127.0.0.1:8080/a//', 'https://h.example/p%20q/'),
        fc.array(pathChar, { maxLength: 24 }).map((chars) => `/${chars.join('')}`),
        (baseUrl, requested) => {
          let made: string;
          try {
            made = targetUrl(baseUrl, requested).href;
          } catch (error) {
            if (isHitchError(error, 'validation_failed')) return;
            throw error;
          }
          expect(made).toBe(bySetters(baseUrl, requested));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('finds a dot segment wherever it stands: between slashes, first or last', () => {
    const bySegments = (path: string) => path.split('/').some((segment) => segment === '.' || segment === '..');
    fc.assert(
      fc.property(fc.array(fc.constantFrom('/', '.', 'a', '..', '...'), { maxLength: 12 }), (parts) => {
        const path = parts.join('');
        expect(escapesPath(path)).toBe(bySegments(path));
      }),
      { numRuns: 3000 },
    );
  });

  it('refuses paths that climb out of the base, plain or encoded', () => {
    for (const path of [
      '/../admin',
      '/a/../../b',
      '/./x',
      '/%2e%2e/x',
      '/%2E%2e/x',
      '/a%2fb',
      '/a%5cb',
      '/a\\b',
      '/x@evil.example',
    ]) {
      expect(refused(base, path), path).toMatch(/must not contain/);
    }
  });

  it('refuses a path that is not one leading slash', () => {
    expect(refused(base, 'repos')).toMatch(/single \//);
    expect(refused(base, '//evil.example/x')).toMatch(/single \//);
  });

  it('asks for a full URL when the connection has no base URL', () => {
    expect(refused(undefined, '/x')).toMatch(/no base URL/);
  });

  it("accepts absolute URLs on the base URL's origin or the app's hosts, and nowhere else", () => {
    expect(targetUrl(base, 'https://api.example.com/other').href).toBe('https://api.example.com/other');
    expect(targetUrl(base, 'https://uploads.example.com/f', ['uploads.example.com']).href).toBe(
      'https://uploads.example.com/f',
    );
    expect(refused(base, 'https://evil.example/x', ['uploads.example.com'])).toMatch(/evil\.example is not allowed/);
  });

  it('keeps the scheme: an https host is not reached over http', () => {
    expect(refused(base, 'http://api.example.com/x')).toMatch(/https:\/\//);
    expect(refused(base, 'http://uploads.example.com/x', ['uploads.example.com'])).toMatch(/https:\/\//);
  });

  it('compares app hosts with their port, and lets an entry written as an origin name its scheme', () => {
    expect(refused(base, 'https://uploads.example.com:8443/x', ['uploads.example.com'])).toMatch(/not allowed/);
    expect(targetUrl(base, 'http://legacy.example.com:8080/x', ['http://legacy.example.com:8080']).href).toBe(
      'http://legacy.example.com:8080/x',
    );
  });

  it('refuses user names and passwords in the URL', () => {
    expect(refused(base, 'https://user:pass@api.example.com/x')).toMatch(/user name or password/);
  });
});
