import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApiToken } from '../../src/accounts/api-tokens.ts';
import { PUBLIC_URL, newUser } from '../http/app.ts';
import { dialects } from '../helpers/store.ts';
import {
  json,
  keyApps,
  openKindsWorld,
  rawRequest,
  readAll,
  serviceHandler,
  startServer,
  type Accepted,
  type KindsWorld,
} from './kinds-harness.ts';

describe.each(dialects)('the proxy on $name', ({ open }) => {
  const accepted: Accepted = {
    apiKey: 'proxy-key-123456789',
    trelloKey: 'trello-key-abcdef',
    trelloToken: 'trello-token-ghijkl',
    username: 'ann',
    password: 'pw-correct-horse',
  };
  const seen: Parameters<typeof serviceHandler>[1] = [];
  const elsewhere: string[] = [];
  let release: () => void = () => undefined;
  let answerSlow: () => void = () => undefined;
  let slowArrived: () => void = () => undefined;
  let uploadStarted: () => void = () => undefined;
  let service: Awaited<ReturnType<typeof startServer>>;
  let other: Awaited<ReturnType<typeof startServer>>;
  let silent: Awaited<ReturnType<typeof startServer>>;
  let closedPort: number;
  let w: KindsWorld;
  let base: string;

  beforeAll(async () => {
    other = await startServer((req, res, url) => {
      elsewhere.push(`${url.pathname} ${String(req.headers['x-api-key'] ?? '')}`);
      json(res, 200, { elsewhere: true });
    });
    const echo = serviceHandler(accepted, seen);
    service = await startServer(async (req, res, url) => {
      if (url.pathname === '/v1/away') {
        json(res, 302, {}, { location: `${other.url}/catch` });
        return;
      }
      if (url.pathname === '/v1/here') {
        json(res, 302, {}, { location: '/v1/echo/landed' });
        return;
      }
      if (url.pathname === '/v1/cookie') {
        json(
          res,
          200,
          { ok: true },
          {
            'set-cookie': 'session=upstream; Path=/',
            'content-security-policy': 'default-src *',
            'referrer-policy': 'unsafe-url',
            'cross-origin-resource-policy': 'cross-origin',
            'x-frame-options': 'ALLOWALL',
            'cache-control': 'private, max-age=60',
          },
        );
        return;
      }
      if (url.pathname === '/v1/stream') {
        res.writeHead(200, { 'content-type': 'application/octet-stream' });
        res.write(Buffer.alloc(64 * 1024, 1));
        await new Promise<void>((resolve) => (release = resolve));
        res.end(Buffer.alloc(64 * 1024, 2));
        return;
      }
      if (url.pathname === '/v1/slow') {
        slowArrived();
        await new Promise<void>((resolve) => (answerSlow = resolve));
        json(res, 200, { slow: true });
        return;
      }
      if (url.pathname === '/v1/upload') {
        let total = 0;
        for await (const chunk of req) {
          if (total === 0) uploadStarted();
          total += (chunk as Buffer).length;
        }
        json(res, 200, { received: total });
        return;
      }
      return echo(req, res, url);
    });
    silent = await startServer(() => new Promise<void>(() => undefined));
    const gone = await startServer(() => undefined);
    closedPort = Number(new URL(gone.url).port);
    await gone.close();
  });
  afterAll(async () => {
    await Promise.all([service.close(), other.close(), silent.close()]);
  });
  beforeEach(async () => {
    seen.length = 0;
    elsewhere.length = 0;
    w = await openKindsWorld(open, keyApps(service.url), { proxyTimeoutMs: 1500 });
    await w.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(w.app.server.address() as AddressInfo).port}`;
  });
  afterEach(async () => {
    await w.close();
  });

  async function connection(app: string, parameters: Record<string, unknown>, auth?: string): Promise<string> {
    const res = await w.app.inject({
      method: 'POST',
      url: '/api/v1/connections',
      headers: w.headers,
      payload: { app, parameters, ...(auth ? { auth } : {}) },
    });
    if (res.statusCode !== 201) throw new Error(`create failed: ${res.body}`);
    return res.json().connection.id as string;
  }
  const proxied = (
    id: string,
    rest: string,
    options: Parameters<typeof rawRequest>[1] extends infer O ? Omit<O & object, 'path'> : never = {},
  ) =>
    rawRequest(base, {
      ...options,
      path: `/api/v1/connections/${id}/proxy${rest}`,
      headers: { ...w.bearer, ...(options.headers ?? {}) },
    });

  it('injects each kind of credential, forwards method, query, body and ordinary headers, and keeps the caller’s own credentials', async () => {
    const keyed = await connection('keyed', { apiKey: accepted.apiKey });
    const trello = await connection('trelloish', { key: accepted.trelloKey, token: accepted.trelloToken });
    const basic = await connection('basicish', { username: 'ann', password: accepted.password });

    const res = await proxied(keyed, '/echo/items?page=2', {
      method: 'POST',
      headers: {
        'content-type': 'text/csv',
        'x-custom': 'yes',
        cookie: 'hitch_session=abc',
        connection: 'x-drop-me',
        'x-drop-me': '1',
      },
      body: 'a,b\n1,2\n',
    });
    expect(res.status).toBe(200);
    const echoed = JSON.parse(res.body.toString());
    expect(echoed).toMatchObject({
      who: 'key-user',
      method: 'POST',
      path: '/v1/echo/items',
      query: '?page=2',
      bodyBytes: 8,
    });
    expect(echoed.headers).toMatchObject({
      'content-type': 'text/csv',
      'x-custom': 'yes',
      'x-api-key': accepted.apiKey,
    });
    expect(echoed.headers.authorization).toBeUndefined();
    expect(echoed.headers.cookie).toBeUndefined();
    expect(echoed.headers['x-drop-me']).toBeUndefined();
    expect(res.headers['content-security-policy']).toBe('sandbox');
    expect(res.headers['x-content-type-options']).toBe('nosniff');

    expect(JSON.parse((await proxied(trello, '/boards?fields=name')).body.toString())).toMatchObject({
      who: 'trello-user',
      path: '/1/boards',
    });
    expect(JSON.parse((await proxied(basic, '/echo')).body.toString())).toMatchObject({
      who: 'basic-user',
      path: '/v1/echo',
    });
  });

  it('accepts API tokens only: the session cookie gets 401, another team’s connection 404', async () => {
    const keyed = await connection('keyed', { apiKey: accepted.apiKey });
    const withCookie = await rawRequest(base, {
      path: `/api/v1/connections/${keyed}/proxy/echo`,
      headers: { cookie: w.cookie, origin: PUBLIC_URL },
    });
    expect(withCookie.status).toBe(401);
    expect(JSON.parse(withCookie.body.toString()).error.code).toBe('unauthenticated');

    const stranger = await newUser(
      { app: w.app, connections: w.connections, store: w.store, config: {} as never, close: async () => undefined },
      { team: { name: 'Elsewhere' } },
    );
    const { token } = await createApiToken(w.store, stranger.user.id, 'theirs');
    const foreign = await rawRequest(base, {
      path: `/api/v1/connections/${keyed}/proxy/echo`,
      headers: { authorization: `Bearer ${token}` },
    });
    expect(foreign.status).toBe(404);
    expect(seen.filter((s) => s.path === '/v1/echo')).toHaveLength(0);
  });

  it('refuses paths that would leave the base URL', async () => {
    const keyed = await connection('keyed', { apiKey: accepted.apiKey });
    seen.length = 0;
    for (const rest of [
      '/../secret',
      '/%2e%2e/secret',
      '/echo/%2F..%2Fsecret',
      '//127.0.0.1:1/x',
      '/@evil.example/x',
      '/echo\\..\\secret',
    ]) {
      const res = await proxied(keyed, rest);
      expect(res.status, rest).toBe(400);
      expect(JSON.parse(res.body.toString()).error.code).toBe('validation_failed');
    }
    expect(seen).toHaveLength(0);
  });

  it('answers a call in flight when Hitch stops, closing its connection, and the stop waits for it', async () => {
    const keyed = await connection('keyed', { apiKey: accepted.apiKey });
    const arrived = new Promise<void>((resolve) => (slowArrived = resolve));
    const answer = proxied(keyed, '/slow');
    await arrived;
    let stopped = false;
    const stopping = w.app.close().then(() => (stopped = true));
    // The stop has begun and waits: the service has not answered yet.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(stopped).toBe(false);
    answerSlow();
    const res = await answer;
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body.toString())).toEqual({ slow: true });
    expect(res.headers.connection).toBe('close');
    await stopping;
    expect(stopped).toBe(true);
  });

  it('passes redirects back: within the base URL through the proxy, to another origin untouched and without credentials', async () => {
    const keyed = await connection('keyed', { apiKey: accepted.apiKey });
    const away = await proxied(keyed, '/away');
    expect(away.status).toBe(302);
    expect(away.headers.location).toBe(`${other.url}/catch`);
    expect(elsewhere).toEqual([]);
    const here = await proxied(keyed, '/here');
    expect(here.status).toBe(302);
    expect(here.headers.location).toBe(`${PUBLIC_URL}/api/v1/connections/${keyed}/proxy/echo/landed`);
  });

  it('does not pass the service’s cookies or security policy to the caller', async () => {
    const keyed = await connection('keyed', { apiKey: accepted.apiKey });
    const res = await proxied(keyed, '/cookie');
    expect(res.status).toBe(200);
    expect(res.headers['set-cookie']).toBeUndefined();
    expect(res.headers['content-security-policy']).toBe('sandbox');
    // Hitch's own policy replaces the service's, each sent once; the service's caching is its own to say.
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['cross-origin-resource-policy']).toBe('same-origin');
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['cache-control']).toBe('private, max-age=60');
    const plain = await proxied(keyed, '/echo/plain');
    expect(plain.headers['cache-control']).toBe('no-store');
    expect(plain.headers['referrer-policy']).toBe('no-referrer');
  });

  it('streams the answer: the first bytes arrive before the service has finished', async () => {
    const keyed = await connection('keyed', { apiKey: accepted.apiKey });
    const url = new URL(base);
    const done = new Promise<{ first: number; total: number }>((resolve, reject) => {
      const req = httpRequest(
        { host: url.hostname, port: url.port, path: `/api/v1/connections/${keyed}/proxy/stream`, headers: w.bearer },
        (res) => {
          let total = 0;
          let first = 0;
          res.on('data', (chunk: Buffer) => {
            if (total === 0) {
              first = chunk.length;
              // Only now may the service finish: the proxy must already have passed on what it had.
              release();
            }
            total += chunk.length;
          });
          res.on('end', () => resolve({ first, total }));
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end();
    });
    const { first, total } = await done;
    expect(first).toBeGreaterThan(0);
    expect(total).toBe(128 * 1024);
  });

  it('streams a large request body: the service receives it before the caller has finished sending', async () => {
    const keyed = await connection('keyed', { apiKey: accepted.apiKey });
    const started = new Promise<void>((resolve) => (uploadStarted = resolve));
    const url = new URL(base);
    const chunk = Buffer.alloc(1024 * 1024, 7);
    const answer = new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = httpRequest(
        {
          host: url.hostname,
          port: url.port,
          method: 'PUT',
          path: `/api/v1/connections/${keyed}/proxy/upload`,
          headers: { ...w.bearer, 'content-type': 'application/octet-stream', 'transfer-encoding': 'chunked' },
        },
        (res) => {
          readAll(res).then((body) => resolve({ status: res.statusCode ?? 0, body: body.toString() }), reject);
        },
      );
      req.on('error', reject);
      req.write(chunk);
      req.write(chunk);
      // The rest goes only once the service has seen the start: nothing waits for the whole body.
      void started.then(() => {
        for (let i = 0; i < 6; i++) req.write(chunk);
        req.end();
      });
    });
    const { status, body } = await answer;
    expect(status).toBe(200);
    expect(JSON.parse(body)).toEqual({ received: 8 * 1024 * 1024 });
  });

  it('answers 424 for a connection that needs reauthorization, 502 and 504 for upstream trouble', async () => {
    const keyed = await connection('keyed', { apiKey: accepted.apiKey });
    const previous = accepted.apiKey;
    accepted.apiKey = 'rotated-key-00000000';
    await w.app.inject({ method: 'POST', url: `/api/v1/connections/${keyed}/verify`, headers: w.headers });
    accepted.apiKey = previous;
    const needs = await proxied(keyed, '/echo');
    expect(needs.status).toBe(424);
    expect(JSON.parse(needs.body.toString()).error.code).toBe('reauthorization_required');

    const unreachable = await connection(
      'http',
      { key: 'any-key-123456', parameterName: 'X-Api-Key', baseUrl: `http://127.0.0.1:${closedPort}` },
      'apiKey',
    );
    const bad = await proxied(unreachable, '/x');
    expect(bad.status).toBe(502);
    expect(JSON.parse(bad.body.toString()).error.code).toBe('upstream_unreachable');

    const slow = await connection(
      'http',
      { key: 'any-key-123456', parameterName: 'X-Api-Key', baseUrl: silent.url },
      'apiKey',
    );
    const late = await proxied(slow, '/x');
    expect(late.status).toBe(504);
    expect(JSON.parse(late.body.toString()).error.code).toBe('upstream_timeout');
    expect(late.headers['content-type']).toContain('application/json');
  });
});
