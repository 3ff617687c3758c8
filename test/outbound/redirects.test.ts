import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isHitchError } from '../../src/errors.ts';
import { createOutbound } from '../../src/outbound/client.ts';
import type { Outbound } from '../../src/outbound/types.ts';
import { openPolicy, resolveToLoopback, startServer, type TestServer } from './servers.ts';

/** `a` redirects as its path says (/to?u=<url>&s=<status>); `b` answers 200. */
let a: TestServer;
let b: TestServer;
const clients: Outbound[] = [];
function client(...args: Parameters<typeof createOutbound>): Outbound {
  const c = createOutbound(...args);
  clients.push(c);
  return c;
}

beforeAll(async () => {
  const redirector = (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/to') {
      res.writeHead(Number(url.searchParams.get('s') ?? 302), { location: url.searchParams.get('u') ?? '/' });
      return res.end('moved');
    }
    if (url.pathname === '/loop') {
      res.writeHead(302, { location: '/loop' });
      return res.end();
    }
    res.end('final');
  };
  a = await startServer(redirector);
  b = await startServer(redirector);
});
afterAll(async () => {
  await a.close();
  await b.close();
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  a.received.length = 0;
  b.received.length = 0;
});

const to = (server: TestServer, target: string, status = 302) =>
  `${server.origin}/to?s=${status}&u=${encodeURIComponent(target)}`;

const credentials = {
  authorization: 'Bearer s3cret',
  cookie: 'sid=s3cret',
  'proxy-authorization': 'Basic s3cret',
  'x-api-key': 's3cret',
  'x-trace': 'keep-me',
};

describe('redirects', () => {
  it('refuses a redirect from an allowed host to a private address, and never reaches it', async () => {
    const outbound = client({
      network: { allowPrivateNetwork: false, allowedHosts: ['public.example'] },
      dangerouslyResolveHostsWith: resolveToLoopback,
    });
    const start = `http://public.example:${a.port}`;
    const toLiteral = await outbound
      .request({ url: `${start}/to?u=${encodeURIComponent(`${b.origin}/secret`)}` })
      .catch((e: unknown) => e);
    expect(isHitchError(toLiteral, 'network_blocked')).toBe(true);
    const toName = await outbound
      .request({ url: `${start}/to?u=${encodeURIComponent(`http://internal.example:${b.port}/secret`)}` })
      .catch((e: unknown) => e);
    expect(isHitchError(toName, 'network_blocked')).toBe(true);
    expect((toName as Error).message).toContain('internal.example');
    expect(a.received).toHaveLength(2);
    expect(b.received).toHaveLength(0);
  });

  it('drops Authorization, Cookie and declared credential headers when the origin changes', async () => {
    const res = await client({ network: openPolicy }).request({
      url: to(a, `${b.origin}/landing`),
      headers: credentials,
      credentials: [{ in: 'header', name: 'X-Api-Key', value: 's3cret' }],
    });
    expect(res.status).toBe(200);
    expect(res.url).toBe(`${b.origin}/landing`);
    expect(a.received[0]?.headers.authorization).toBe('Bearer s3cret');
    const seen = b.received[0]?.headers ?? {};
    expect(seen.authorization).toBeUndefined();
    expect(seen.cookie).toBeUndefined();
    expect(seen['proxy-authorization']).toBeUndefined();
    expect(seen['x-api-key']).toBeUndefined();
    expect(seen['x-trace']).toBe('keep-me');
  });

  it('keeps them dropped when a later hop returns to the first origin', async () => {
    const back = to(b, `${a.origin}/home`);
    await client({ network: openPolicy }).request({ url: to(a, back), headers: credentials });
    expect(a.received[1]?.url).toBe('/home');
    expect(a.received[1]?.headers.authorization).toBeUndefined();
  });

  it('keeps credentials on a same-origin redirect', async () => {
    const res = await client({ network: openPolicy }).request({ url: to(a, '/landing'), headers: credentials });
    expect(res.status).toBe(200);
    expect(a.received[1]?.url).toBe('/landing');
    expect(a.received[1]?.headers.authorization).toBe('Bearer s3cret');
    expect(a.received[1]?.headers.cookie).toBe('sid=s3cret');
  });

  it('stops a redirect loop with too_many_redirects', async () => {
    const error = await client({ network: openPolicy })
      .request({ url: `${a.origin}/loop` })
      .catch((e: unknown) => e);
    expect(isHitchError(error, 'too_many_redirects')).toBe(true);
    expect(a.received).toHaveLength(6);
  });

  it('returns the redirect itself when maxRedirects is 0', async () => {
    const res = await client({ network: openPolicy }).request({ url: to(a, '/landing', 301), maxRedirects: 0 });
    expect(res.status).toBe(301);
    expect(res.headers.location).toBe('/landing');
  });

  it('turns POST into GET without a body on 303 and 302, and keeps both on 307', async () => {
    const outbound = client({ network: openPolicy });
    const post = { method: 'POST', body: 'a=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } };
    await outbound.request({ url: to(a, '/after-303', 303), ...post });
    await outbound.request({ url: to(a, '/after-302', 302), ...post });
    await outbound.request({ url: to(a, '/after-307', 307), ...post });
    const byUrl = Object.fromEntries(a.received.map((r) => [r.url, r]));
    expect(byUrl['/after-303']).toMatchObject({ method: 'GET', body: '' });
    expect(byUrl['/after-303']?.headers['content-type']).toBeUndefined();
    expect(byUrl['/after-302']).toMatchObject({ method: 'GET', body: '' });
    expect(byUrl['/after-307']).toMatchObject({ method: 'POST', body: 'a=1' });
    expect(byUrl['/after-307']?.headers['content-type']).toBe('application/x-www-form-urlencoded');
  });

  it('refuses to follow a redirect to a scheme other than http and https', async () => {
    const error = await client({ network: openPolicy })
      .request({ url: to(a, 'file:///etc/passwd') })
      .catch((e: unknown) => e);
    expect(isHitchError(error, 'upstream_bad_response')).toBe(true);
  });
});
