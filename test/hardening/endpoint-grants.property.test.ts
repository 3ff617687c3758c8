/**
 * No spelling of a path escapes an endpoint pattern: whatever mix of `..`,
 * `.`, encoded dots and slashes (any case, encoded twice), backslashes and
 * double slashes a caller sends, a call the grant lets through lands — at a
 * lenient server that decodes until nothing changes, takes `\` for `/`,
 * collapses `//` and resolves dot segments — where the pattern says.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { targetUrl } from '../../src/connections/connection-client.ts';
import { grantAllows, type EndpointPattern } from '../../src/connections/grants.ts';
import { isHitchError } from '../../src/errors.ts';

const BASE = 'https://api.example.com/v2';

const piece = fc.constantFrom(
  'public',
  'admin',
  'x',
  '..',
  '.',
  '',
  '%2e%2e',
  '%2E%2e',
  '%2e',
  '.%2E',
  '%2f',
  '%2F',
  'a%2Fb',
  '%5c',
  '%5C..',
  '\\',
  '..\\admin',
  '%252e%252e',
  '%252F',
  '%25',
  '%41dmin',
  'PUBLIC',
  '%70ublic',
  ';',
  '..;',
);
const segments = fc.array(piece, { minLength: 1, maxLength: 5 });
/** Paths people might send: below the base, as sent to the proxy, or as a whole URL. */
const requested = fc.tuple(fc.boolean(), fc.boolean(), segments).map(([absolute, publicFirst, parts]) => {
  const path = `/${[...(publicFirst ? ['public'] : []), ...parts].join('/')}`;
  return absolute ? `https://api.example.com/v2${path}` : path;
});

/** What a server that forgives everything makes of a path. */
function lenientServerView(path: string): string[] {
  let text = path;
  for (let i = 0; i < 4; i++) {
    try {
      const next = decodeURIComponent(text);
      if (next === text) break;
      text = next;
    } catch {
      break;
    }
  }
  const out: string[] = [];
  for (const segment of text.replace(/\\/g, '/').split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') out.pop();
    else out.push(segment);
  }
  return out;
}

function granted(pattern: EndpointPattern, path: string): boolean | 'refused' {
  let url: URL;
  try {
    url = targetUrl(BASE, path);
  } catch (error) {
    if (isHitchError(error, 'validation_failed')) return 'refused';
    throw error;
  }
  return grantAllows([pattern], 'GET', url, BASE);
}

/** Every generated path the pattern lets through lands, at the lenient server, where `lands` says; some do get through. */
function assertLandings(pattern: EndpointPattern, lands: (view: string[], path: string) => void): void {
  let allowed = 0;
  fc.assert(
    fc.property(requested, (path) => {
      if (granted(pattern, path) !== true) return;
      allowed += 1;
      lands(lenientServerView(targetUrl(BASE, path).pathname), path);
    }),
    { numRuns: 3000 },
  );
  expect(allowed).toBeGreaterThan(0);
}

describe('endpoint patterns against traversal spellings', () => {
  it('a one-segment placeholder lets through only /v2/public/<one segment>', () => {
    assertLandings({ method: 'GET', path: '/public/{id}' }, (view, path) => {
      expect(view.slice(0, 2), path).toEqual(['v2', 'public']);
      expect(view, path).toHaveLength(3);
    });
  });

  it('a prefix lets through only what lies below it', () => {
    assertLandings({ method: 'GET', path: '/public/*' }, (view, path) =>
      expect(view.slice(0, 2), path).toEqual(['v2', 'public']),
    );
  });

  it('refuses the classic spellings outright', () => {
    const pattern: EndpointPattern = { method: 'GET', path: '/public/*' };
    for (const path of [
      '/public/../admin',
      '/public/%2e%2e/admin',
      '/public/%2E%2e/admin',
      '/public/..%2fadmin',
      '/public/..%2Fadmin',
      '/public/..\\admin',
      '/public/%5c..%5cadmin',
      '/public/%252e%252e/admin',
      'https://api.example.com/v2/public/..%2f..%2fadmin',
      'https://api.example.com/v2/public/%252e%252e%252fadmin',
      '//api.example.com/v2/admin',
    ]) {
      expect(granted(pattern, path), path).not.toBe(true);
    }
  });
});
