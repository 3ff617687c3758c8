/**
 * Who may scrape GET /metrics. Without METRICS_TOKEN: only a loopback peer that
 * sent no forwarding header (a proxy on the same host would otherwise hand every
 * outside scrape a loopback address). With a token: the token, from anywhere,
 * and nothing else — a loopback peer included. Through inject and a real socket
 * from 127.0.0.2.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMetrics } from '../../src/metrics/registry.ts';
import metricsPlugin from '../../src/http/plugins/metrics.ts';
import { sqliteTestStore } from '../helpers/store.ts';
import { openTestApp, type TestApp } from './app.ts';
import { maybe } from '../helpers/maybe.ts';

/** The app as src/server.ts builds it, metrics included. */
async function withMetrics(env: Record<string, string>): Promise<TestApp> {
  const t = await openTestApp(sqliteTestStore, env);
  const metrics = createMetrics({ connectionsByStatus: async () => [], jobStats: async () => [] });
  await t.app.register(metricsPlugin, { metrics, token: t.config.metricsToken });
  return t;
}

const FORWARDING = [
  { 'x-forwarded-for': '203.0.113.9' },
  { 'x-forwarded-host': 'hitch.example.com' },
  { 'x-forwarded-proto': 'https' },
  { forwarded: 'for=203.0.113.9' },
  { 'X-Forwarded-For': '' },
];

describe('/metrics without METRICS_TOKEN', () => {
  let t: TestApp;
  beforeAll(async () => {
    // Even with the local proxy trusted: a forwarded scrape came from outside.
    t = await withMetrics({ HITCH_TRUST_PROXY: '127.0.0.1' });
  });
  afterAll(async () => {
    await maybe(t)?.close();
  });

  it('answers a loopback peer', async () => {
    for (const remoteAddress of ['127.0.0.1', '127.0.0.2', '::1', '::ffff:127.0.0.1']) {
      const response = await t.app.inject({ method: 'GET', url: '/metrics', remoteAddress });
      expect(response.statusCode, remoteAddress).toBe(200);
      expect(response.body).toContain('hitch_http_requests_total');
    }
  });

  it('refuses any other peer, and a loopback peer that forwards a request', async () => {
    for (const remoteAddress of ['10.0.0.1', '192.0.2.1', '2001:db8::1']) {
      const response = await t.app.inject({ method: 'GET', url: '/metrics', remoteAddress });
      expect(response.statusCode, remoteAddress).toBe(403);
      expect(response.json().error.code).toBe('forbidden');
      expect(response.json().error.message).toContain('METRICS_TOKEN');
    }
    for (const headers of FORWARDING) {
      const response = await t.app.inject({ method: 'GET', url: '/metrics', remoteAddress: '127.0.0.1', headers });
      expect(response.statusCode, JSON.stringify(headers)).toBe(403);
      expect(response.body).not.toContain('hitch_');
    }
  });

  it('judges the real peer of a socket', async () => {
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    const port = (t.app.server.address() as AddressInfo).port;
    const get = (localAddress: string, headers: Record<string, string> = {}) =>
      new Promise<number>((resolve, reject) => {
        const request = http.request(
          { host: '127.0.0.1', port, path: '/metrics', localAddress, headers },
          (response) => {
            response.resume();
            resolve(response.statusCode ?? 0);
          },
        );
        request.on('error', reject);
        request.end();
      });
    expect(await get('127.0.0.2')).toBe(200);
    expect(await get('127.0.0.1', { 'x-forwarded-for': '203.0.113.9' })).toBe(403);
  });
});

describe('/metrics with METRICS_TOKEN', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await withMetrics({ METRICS_TOKEN: 'scrape-me-please' });
  });
  afterAll(async () => {
    await maybe(t)?.close();
  });

  it('requires the token, from loopback too, and accepts it from anywhere', async () => {
    for (const remoteAddress of ['127.0.0.1', '10.0.0.1']) {
      const without = await t.app.inject({ method: 'GET', url: '/metrics', remoteAddress });
      expect(without.statusCode).toBe(401);
      expect(without.headers['www-authenticate']).toContain('Bearer');
      const wrong = await t.app.inject({
        method: 'GET',
        url: '/metrics',
        remoteAddress,
        headers: { authorization: 'Bearer nope' },
      });
      expect(wrong.statusCode).toBe(401);
      const right = await t.app.inject({
        method: 'GET',
        url: '/metrics',
        remoteAddress,
        headers: { authorization: 'Bearer scrape-me-please', 'x-forwarded-for': '203.0.113.9' },
      });
      expect(right.statusCode).toBe(200);
    }
  });
});
