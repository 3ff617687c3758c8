/**
 * Rate-limit hints against a local service that says "wait" the ways real ones do: 429 with
 * Retry-After in seconds or as an HTTP date (RFC 9110 §10.2.3), 429 with no hint at all, and
 * GitHub's 403 with x-ratelimit-reset in Unix seconds. Modules wait what they are asked (the waits
 * are recorded, not slept) and retry a bounded number of times; a wait past the cap is not made;
 * the proxy passes the 429 and its headers back unchanged, once.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApiToken } from '../../src/accounts/api-tokens.ts';
import type { AppInput } from '../../src/catalog/schema.ts';
import { openCatalogWorld, runOneModule, type CatalogWorld } from '../catalog/world.ts';
import { maybe } from '../helpers/maybe.ts';

interface LimitedService {
  origin: string;
  hits: Map<string, number>;
  close(): Promise<void>;
}

async function startLimitedService(): Promise<LimitedService> {
  const hits = new Map<string, number>();
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname.replace(/^\/api/, '');
    const n = (hits.get(path) ?? 0) + 1;
    hits.set(path, n);
    const limited = (headers: Record<string, string>, status = 429) =>
      res.writeHead(status, { 'content-type': 'application/json', ...headers }).end('{"message":"slow down"}');
    const ok = () => res.writeHead(200, { 'content-type': 'application/json' }).end(`{"ok":true,"attempt":${n}}`);
    switch (path) {
      case '/twice':
        return n <= 2 ? limited({ 'retry-after': '7' }) : ok();
      case '/date':
        return n === 1 ? limited({ 'retry-after': new Date(Date.now() + 30_000).toUTCString() }) : ok();
      case '/long':
        return limited({ 'retry-after': '3600' });
      case '/always':
        return limited({ 'x-trace': 'abc' });
      case '/github':
        return n === 1
          ? limited(
              { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 20) },
              403,
            )
          : ok();
      case '/forbidden':
        return res.writeHead(403, { 'content-type': 'application/json' }).end('{"message":"no"}');
      default:
        return ok();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    hits,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function limitedApp(id: string, origin: string, rateLimit?: AppInput['rateLimit']): AppInput {
  return {
    id,
    name: id,
    docsUrl: 'https://limited.example/docs',
    fullAccess: { docsUrl: 'https://limited.example/docs' },
    ...(rateLimit ? { rateLimit } : {}),
    modules: [
      { id: 'twice', name: 'Limited twice', request: { url: '/twice' } },
      { id: 'github', name: 'GitHub-style', request: { url: '/github' } },
      { id: 'forbidden', name: 'Forbidden', request: { url: '/forbidden' } },
    ],
    connections: [
      {
        type: 'apiKey',
        keys: [{ parameter: 'key', in: 'header', name: 'X-Key' }],
        baseUrl: `${origin}/api`,
        parameters: [{ name: 'key', label: 'Key', type: 'password', required: true, secret: true }],
      },
    ],
  };
}

describe('rate-limit hints', { timeout: 60_000 }, () => {
  let service: LimitedService;
  let w: CatalogWorld;
  const waits: number[] = [];
  const connections: Record<string, string> = {};

  beforeAll(async () => {
    service = await startLimitedService();
    w = await openCatalogWorld({
      apps: [
        limitedApp('limited', service.origin),
        limitedApp('githubish', service.origin, {
          statuses: [403, 429],
          resetHeaders: [{ name: 'x-ratelimit-reset', unit: 'unix_seconds' }],
        }),
      ],
      sleep: async (ms) => {
        waits.push(ms);
      },
    });
    for (const app of ['limited', 'githubish']) {
      const created = await w.app.inject({
        method: 'POST',
        url: '/api/v1/connections',
        headers: w.headers,
        payload: { app, parameters: { key: 'k-0123456789' } },
      });
      expect(created.statusCode, created.body).toBe(201);
      connections[app] = created.json().connection.id;
    }
  });
  afterAll(async () => {
    await maybe(w)?.close();
    await maybe(service)?.close();
  });
  beforeEach(() => {
    waits.length = 0;
    service.hits.clear();
  });

  const run = (app: string, module: string, inputs: Record<string, unknown> = {}) =>
    runOneModule(w, { app, module, connectionId: app === 'http' ? undefined : connections[app], inputs });

  it('waits what Retry-After says, in seconds, and retries until the service answers', async () => {
    const execution = await run('limited', 'twice');
    expect(execution.status).toBe('success');
    expect(execution.modules[0].output.body).toEqual({ ok: true, attempt: 3 });
    expect(waits).toEqual([7000, 7000]);
  });

  it('reads Retry-After as an HTTP date', async () => {
    const execution = await run('limited', 'make-api-call', { url: '/date' });
    expect(execution.status).toBe('success');
    expect(waits).toHaveLength(1);
    expect(waits[0]).toBeGreaterThan(28_000);
    expect(waits[0]).toBeLessThanOrEqual(30_000);
  });

  it('does not wait past the cap: the module fails with the service’s 429', async () => {
    const execution = await run('limited', 'make-api-call', { url: '/long' });
    expect(execution.status).toBe('error');
    expect(execution.modules[0]).toMatchObject({ error: { code: 'module_request_failed' }, output: { status: 429 } });
    expect(waits).toEqual([]);
    expect(service.hits.get('/long')).toBe(1);
  });

  it('backs off without a hint, a bounded number of times', async () => {
    const execution = await run('limited', 'make-api-call', { url: '/always' });
    expect(execution.status).toBe('error');
    expect(execution.modules[0].output).toMatchObject({ status: 429, headers: { 'x-trace': 'abc' } });
    expect(waits).toEqual([1000, 2000]);
    expect(service.hits.get('/always')).toBe(3);
  });

  it('reads a reset moment where the app says (GitHub’s 403 and x-ratelimit-reset), and not for other apps', async () => {
    const execution = await run('githubish', 'github');
    expect(execution.status).toBe('success');
    expect(waits).toHaveLength(1);
    expect(waits[0]).toBeGreaterThan(18_000);
    expect(waits[0]).toBeLessThanOrEqual(20_000);
    service.hits.clear();
    waits.length = 0;
    const other = await run('limited', 'github');
    expect(other.modules[0].output.status).toBe(403);
    expect(waits).toEqual([]);
  });

  it('takes a 403 without a hint for the refusal it is', async () => {
    const execution = await run('githubish', 'forbidden');
    expect(execution.modules[0].output.status).toBe(403);
    expect(waits).toEqual([]);
    expect(service.hits.get('/forbidden')).toBe(1);
  });

  it('waits in the HTTP app’s plain requests by HTTP’s own rule', async () => {
    const execution = await run('http', 'make-request', { url: `${service.origin}/api/twice` });
    expect(execution.status).toBe('success');
    expect(waits).toEqual([7000, 7000]);
  });

  it('the proxy passes the 429 and its headers back unchanged, and does not retry', async () => {
    const { token } = await createApiToken(w.store, w.userId, 'proxy');
    const proxied = await w.app.inject({
      method: 'GET',
      url: `/api/v1/connections/${connections.limited}/proxy/twice`,
      headers: { authorization: `Bearer ${token}` },
    });
    expect(proxied.statusCode).toBe(429);
    expect(proxied.headers['retry-after']).toBe('7');
    expect(proxied.json()).toEqual({ message: 'slow down' });
    expect(service.hits.get('/twice')).toBe(1);
    expect(waits).toEqual([]);
  });
});
