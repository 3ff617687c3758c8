import fs from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../src/ids.ts';
import { createLogger } from '../../src/log.ts';
import { dialects } from '../helpers/store.ts';
import { login, newUser, openTestApp, type TestApp } from './app.ts';

describe('HTTP conventions', () => {
  let t: TestApp;
  let cookie: string;
  beforeAll(async () => {
    t = await openTestApp(dialects[0].open);
    t.app.get('/api/v1/test/boom', { config: { auth: 'none' } }, async () => {
      throw new Error('database password is hunter2');
    });
    const { user } = await newUser(t);
    cookie = await login(t.app, user.email);
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers /healthz and /readyz', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/healthz' })).json()).toEqual({ status: 'ok' });
    const ready = await t.app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(200);
  });

  it('answers an unknown route with a JSON 404', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/v1/nothing-here' });
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.json()).toEqual({ error: { code: 'not_found', message: expect.any(String) } });
  });

  it('names the field of a wrong type or a missing field in a 400', async () => {
    const wrongType = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: 5, password: 'x' },
    });
    expect(wrongType.statusCode).toBe(400);
    expect(wrongType.json().error).toEqual({
      code: 'validation_failed',
      field: 'email',
      message: 'email must be of type string.',
    });

    const missing = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'a@b.c' } });
    expect(missing.json().error).toMatchObject({ code: 'validation_failed', field: 'password' });

    const unknown = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: 'a@b.c', password: 'x', remember: true },
    });
    expect(unknown.json().error).toMatchObject({ code: 'validation_failed', field: 'remember' });

    const query = await t.app.inject({ method: 'GET', url: '/api/v1/tokens?limit=many', headers: { cookie } });
    expect(query.statusCode).toBe(400);
    expect(query.json().error).toMatchObject({ code: 'validation_failed', field: 'limit' });
  });

  it('answers malformed JSON with 400, an unknown content type with 415, and a huge body with 413', async () => {
    const badJson = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: '{"email": "a@b.c", "password": ',
    });
    expect(badJson.statusCode).toBe(400);
    expect(badJson.json().error.code).toBe('validation_failed');

    const text = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { 'content-type': 'text/plain' },
      payload: 'email=a@b.c',
    });
    expect(text.statusCode).toBe(415);
    expect(text.json().error.code).toBe('unsupported_media_type');

    const form = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'email=a@b.c',
    });
    expect(form.statusCode).toBe(415);

    const huge = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: 'a@b.c', password: 'x'.repeat(2 * 1024 * 1024) },
    });
    expect(huge.statusCode).toBe(413);
    expect(huge.json().error.code).toBe('body_too_large');
  });

  it('answers a bug with a bare 500 that reveals nothing', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/v1/test/boom' });
    expect(response.statusCode).toBe(500);
    expect(response.json()).toEqual({ error: { code: 'internal', message: expect.any(String) } });
    expect(response.body).not.toContain('hunter2');
  });

  it('sends the security headers on every answer, errors included', async () => {
    const statuses = [];
    for (const url of ['/healthz', '/api/v1/me', '/nowhere', '/api/v1/test/boom']) {
      const { headers, statusCode } = await t.app.inject({ method: 'GET', url, headers: { host: '127.0.0.1:8080' } });
      statuses.push(statusCode);
      expect(headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(headers['content-security-policy']).toContain("script-src 'self'");
      expect(headers['content-security-policy']).not.toContain('unsafe-inline');
      expect(headers['x-content-type-options']).toBe('nosniff');
      expect(headers['referrer-policy']).toBe('no-referrer');
      expect(headers['cross-origin-opener-policy']).toBe('same-origin-allow-popups');
    }
    expect(statuses).toEqual([200, 401, 404, 500]);
  });

  it('sends pages asked for on another host name to PUBLIC_URL’s host, keeping the query', async () => {
    const page = await t.app.inject({
      method: 'GET',
      url: '/oauth/callback?code=abc&state=xyz',
      headers: { host: 'localhost:8080' },
    });
    expect(page.statusCode).toBe(307);
    expect(page.headers.location).toBe('http://127.0.0.1:8080/oauth/callback?code=abc&state=xyz');

    const root = await t.app.inject({ method: 'GET', url: '/', headers: { host: 'LOCALHOST:8080' } });
    expect(root.headers.location).toBe('http://127.0.0.1:8080/');

    // Machines call the API and health checks by any name.
    expect(
      (await t.app.inject({ method: 'GET', url: '/healthz', headers: { host: 'localhost:8080' } })).statusCode,
    ).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: '/readyz', headers: { host: '10.1.2.3' } })).statusCode).toBe(200);
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { host: 'localhost:8080', cookie } }))
        .statusCode,
    ).toBe(200);
    // The right host is not redirected.
    expect(
      (await t.app.inject({ method: 'GET', url: '/nowhere', headers: { host: '127.0.0.1:8080' } })).statusCode,
    ).toBe(404);
  });
});

describe('the request log', () => {
  it('names each request on the proxy lane and on Fastify by ids of one counter', async () => {
    const lines: string[] = [];
    const log = createLogger('info', { write: (line: string) => void lines.push(line) });
    const t = await openTestApp(dialects[0].open, {}, log);
    try {
      await t.app.listen({ port: 0, host: '127.0.0.1' });
      const { port } = t.app.server.address() as AddressInfo;
      const base = `http://127.0.0.1:${port}`;
      const proxied = await fetch(`${base}/api/v1/connections/${newId()}/proxy/items?api_key=s3cr3t`);
      expect(proxied.status).toBe(401);
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
      await fetch(`${base}/api/v1/connections/${newId()}/proxy/items`);
      const records = lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((r) => r.msg === 'request');
      expect(records.map((r) => [String(r.url).split('/').pop(), r.statusCode])).toEqual([
        ['items?api_key=%5Bredacted%5D', 401],
        ['healthz', 200],
        ['items', 401],
      ]);
      const ids = records.map((r) => r.reqId);
      for (const id of ids) expect(id).toMatch(/^req-[0-9a-z]+$/);
      expect(new Set(ids).size).toBe(3);
      expect(lines.join('\n')).not.toMatch(/s3cr3t/);
    } finally {
      await t.close();
    }
  });

  it('writes one line per request with secrets in the URL redacted, and no cookies', async () => {
    const lines: string[] = [];
    const log = createLogger('info', { write: (line: string) => void lines.push(line) });
    const t = await openTestApp(dialects[0].open, {}, log);
    try {
      await t.app.inject({
        method: 'GET',
        url: '/api/v1/me?state=s3cr3t-state&code=s3cr3t-code&page=2',
        headers: { cookie: 'hitch_session=s3cr3t-cookie' },
      });
      await t.app.inject({ method: 'GET', url: '/healthz' });
      const records = lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((r) => r.msg === 'request');
      expect(records).toHaveLength(2);
      // Each request's logger is made only when it writes, and still names its own request.
      expect(records[0]!.reqId).toEqual(expect.any(String));
      expect(records[1]!.reqId).toEqual(expect.any(String));
      expect(records[1]!.reqId).not.toBe(records[0]!.reqId);
      expect(records[0]).toMatchObject({
        method: 'GET',
        statusCode: 401,
        url: '/api/v1/me?state=%5Bredacted%5D&code=%5Bredacted%5D&page=2',
      });
      expect(lines.join('\n')).not.toMatch(/s3cr3t/);
    } finally {
      await t.close();
    }
  });
});

describe('readiness', () => {
  it('answers 503 when the database does not', async () => {
    const t = await openTestApp(dialects[0].open);
    try {
      await t.app.ready();
      await t.store.close();
      const response = await t.app.inject({ method: 'GET', url: '/readyz' });
      expect(response.statusCode).toBe(503);
      expect(response.json().error.code).toBe('unavailable');
    } finally {
      // The store is closed already; take down the rest by hand.
      await t.app.close();
      fs.rmSync(path.dirname(t.store.file!), { recursive: true, force: true });
      fs.rmSync(t.config.dataDir, { recursive: true, force: true });
    }
  });
});
