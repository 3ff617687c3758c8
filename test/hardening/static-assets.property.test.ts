/**
 * The web app's static files: every failure under /assets/ — encoded traversal
 * in any spelling (`..%2f`, `%2e%2e%5c`, overlong UTF-8, double encoding), NUL
 * bytes, malformed escapes, directories, dot files, names that do not exist — is
 * a 404 in Hitch's JSON error format, and no byte from outside the build leaks.
 * Traversals go over a real socket, byte for byte: inject (like any URL parser)
 * would resolve a raw `../` before Hitch saw it. Needs the built web app
 * (web/dist, made by `npm install`'s prepare step).
 */
import fs from 'node:fs';
import net, { type AddressInfo } from 'node:net';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WEB_DIST_DIR } from '../../src/http/plugins/web-app.ts';
import { sqliteTestStore } from '../helpers/store.ts';
import { openTestApp, PUBLIC_URL, type TestApp } from '../http/app.ts';
import { record } from './figures.ts';
import { maybe } from '../helpers/maybe.ts';

const DOT = ['..', '%2e%2e', '%2E%2E', '.%2e', '%2e.', '%c0%ae%c0%ae', '%252e%252e', '..%00', '.', '...', '....'];
const SEP = ['%2f', '%2F', '%5c', '%5C', '%252f', '%c0%af', '%e0%80%af', '%ef%bc%8f', '/', '\\', '%00/', '//'];
const TARGET = [
  'package.json',
  'vite.config.ts',
  'src/main.tsx',
  'index.html',
  '.env',
  'etc/passwd',
  '',
  'dist/index.html',
  '%00',
  '%',
  '%zz',
  '.git/config',
];

let t: TestApp;
let asset: string;
let outside: string[];
let port: number;
beforeAll(async () => {
  t = await openTestApp(sqliteTestStore);
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  port = (t.app.server.address() as AddressInfo).port;
  asset = fs.readdirSync(path.join(WEB_DIST_DIR, 'assets')).find((f) => f.endsWith('.js'))!;
  // Files a traversal would reach: the web app's config one level up, the repository's package file two.
  outside = [
    fs.readFileSync(path.join(WEB_DIST_DIR, '..', 'vite.config.ts'), 'utf8').slice(0, 40),
    fs.readFileSync(path.join(WEB_DIST_DIR, '..', '..', 'package.json'), 'utf8').slice(0, 40),
  ];
});
afterAll(async () => {
  await maybe(t)?.close();
});

interface Answer {
  statusCode: number;
  contentType: string;
  body: string;
}

async function get(url: string): Promise<Answer> {
  const response = await t.app.inject({ method: 'GET', url, headers: { host: new URL(PUBLIC_URL).host } });
  return {
    statusCode: response.statusCode,
    contentType: String(response.headers['content-type']),
    body: response.body,
  };
}

/** The request line exactly as written, over a socket of its own. */
function raw(url: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let text = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => (text += chunk));
    socket.on('error', reject);
    socket.on('end', () => {
      const [head = '', body = ''] = text.split('\r\n\r\n', 2);
      const statusCode = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0);
      const contentType = /\r\ncontent-type: ([^\r]*)/i.exec(head)?.[1] ?? '';
      // Chunked or not, the JSON error is one chunk: take the body from its first brace.
      resolve({ statusCode, contentType, body: body.slice(body.indexOf('{'), body.lastIndexOf('}') + 1) });
    });
    // Written, not ended: the server closes after answering (Connection: close); a half-closed socket may be dropped first.
    socket.write(`GET ${url} HTTP/1.1\r\nHost: ${new URL(PUBLIC_URL).host}\r\nConnection: close\r\n\r\n`, 'latin1');
  });
}

function expectHitchNotFound(response: Answer, url: string) {
  expect(response.statusCode, url).toBe(404);
  expect(response.contentType, url).toMatch(/^application\/json/);
  expect(JSON.parse(response.body).error, url).toEqual({
    code: 'not_found',
    message: 'Nothing was found at this address.',
  });
  for (const text of outside) expect(response.body, url).not.toContain(text);
  record('inputsTried');
}

describe('static asset errors', () => {
  it('serves a built asset', async () => {
    for (const response of [await get(`/assets/${asset}`), await raw(`/assets/${asset}`)]) {
      expect(response.statusCode).toBe(200);
      expect(response.contentType).toMatch(/javascript/);
    }
  });

  it('answers every spelling of an encoded traversal with a 404 in Hitch’s format', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.constantFrom(...DOT), fc.constantFrom(...SEP)), { minLength: 1, maxLength: 5 }),
        fc.constantFrom(...TARGET),
        fc.constantFrom('', 'x/', 'a/'),
        async (steps, target, prefix) => {
          const url = `/assets/${prefix}${steps.map(([d, s]) => d + s).join('')}${target}`;
          expectHitchNotFound(await raw(url), url);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('answers malformed escapes, NUL bytes, directories, dot files and unknown names with the same 404', async () => {
    for (const url of [
      '/assets/',
      '/assets/%',
      '/assets/%zz',
      '/assets/%00',
      `/assets/${asset}%00`,
      '/assets/%c0%ae%c0%ae/',
      '/assets/.hidden',
      '/assets/nope.js',
      '/assets/a/b/c.js',
      `/assets/${asset}/`,
      '/assets/%ff',
      '/assets/\u00e9',
    ]) {
      expectHitchNotFound(await get(url), url);
      if (/^[\x21-\x7e]*$/.test(url)) expectHitchNotFound(await raw(url), url);
    }
  });
});
