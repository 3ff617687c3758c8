/**
 * HITCH_TRUST_PROXY: forwarding headers (X-Forwarded-For, -Host, -Proto and
 * Forwarded) count only when the TCP peer is a listed proxy. Through inject
 * (the peer address is `remoteAddress`) and through a real socket from a second
 * loopback address (127.0.0.2), since the peer is what decides.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { dialects, sqliteTestStore } from '../helpers/store.ts';
import { openTestApp, uniqueEmail, type TestApp } from './app.ts';
import { maybe } from '../helpers/maybe.ts';

// Under /api/, which answers on any host name, so the host redirect does not hide the answer.
const ECHO = '/api/test/forwarded-echo';

/** Adds a route that says what Hitch believes about the client; the app is not ready yet. */
function withEcho(t: TestApp): TestApp {
  t.app.get(ECHO, { config: { auth: 'none' } }, async (request) => ({
    ip: request.ip,
    host: request.host,
    protocol: request.protocol,
  }));
  return t;
}

describe('HITCH_TRUST_PROXY in the configuration', () => {
  it('takes addresses and CIDRs, IPv4 and IPv6, and none by default', () => {
    expect(loadConfig({}).trustProxy).toEqual([]);
    expect(loadConfig({ HITCH_TRUST_PROXY: '127.0.0.1, 10.0.0.0/8,::1 , fd00::/8' }).trustProxy).toEqual([
      '127.0.0.1',
      '10.0.0.0/8',
      '::1',
      'fd00::/8',
    ]);
  });

  it.each(['proxy.local', '10.0.0.0/33', '300.1.1.1', '10.0.0.1/', '::1/129', '*', 'loopback'])(
    'refuses %s with one line naming the variable',
    (value) => {
      let error: unknown;
      try {
        loadConfig({ HITCH_TRUST_PROXY: value });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).variable).toBe('HITCH_TRUST_PROXY');
      expect((error as ConfigError).message).toMatch(/^HITCH_TRUST_PROXY: .+\.$/);
      expect((error as ConfigError).message).not.toContain('\n');
    },
  );
});

describe('forwarding headers through inject', () => {
  let untrusting: TestApp;
  let trusting: TestApp;
  beforeAll(async () => {
    untrusting = withEcho(await openTestApp(sqliteTestStore));
    trusting = withEcho(await openTestApp(sqliteTestStore, { HITCH_TRUST_PROXY: '127.0.0.1,10.1.0.0/16' }));
  });
  afterAll(async () => {
    await maybe(untrusting)?.close();
    await maybe(trusting)?.close();
  });

  const forwarding = {
    'x-forwarded-for': '203.0.113.9',
    'x-forwarded-host': 'localhost',
    'x-forwarded-proto': 'https',
    host: '127.0.0.1:8080',
  };

  it('believes no forwarding header by default, whoever sends it', async () => {
    for (const remoteAddress of ['127.0.0.1', '10.1.2.3', '198.51.100.4']) {
      const echo = await untrusting.app.inject({ method: 'GET', url: ECHO, headers: forwarding, remoteAddress });
      expect(echo.json()).toEqual({ ip: remoteAddress, host: '127.0.0.1:8080', protocol: 'http' });
      const forwardedOnly = await untrusting.app.inject({
        method: 'GET',
        url: ECHO,
        headers: { host: '127.0.0.1:8080', forwarded: 'for=203.0.113.9;host=localhost;proto=https' },
        remoteAddress,
      });
      expect(forwardedOnly.json()).toEqual({ ip: remoteAddress, host: '127.0.0.1:8080', protocol: 'http' });
    }
  });

  it('does not redirect a page because an untrusted client named another host in X-Forwarded-Host', async () => {
    const page = await untrusting.app.inject({
      method: 'GET',
      url: '/connections',
      headers: forwarding,
      remoteAddress: '198.51.100.4',
    });
    expect(page.statusCode).not.toBe(307);
    // The Host header itself is still judged: a page opened on another name goes to PUBLIC_URL.
    const other = await untrusting.app.inject({
      method: 'GET',
      url: '/connections',
      headers: { host: 'localhost:8080' },
      remoteAddress: '198.51.100.4',
    });
    expect(other.statusCode).toBe(307);
  });

  it('believes a listed proxy, and only a listed proxy', async () => {
    const fromProxy = await trusting.app.inject({
      method: 'GET',
      url: ECHO,
      headers: forwarding,
      remoteAddress: '10.1.2.3',
    });
    expect(fromProxy.json()).toEqual({ ip: '203.0.113.9', host: 'localhost', protocol: 'https' });
    const fromOther = await trusting.app.inject({
      method: 'GET',
      url: ECHO,
      headers: forwarding,
      remoteAddress: '10.2.0.1',
    });
    expect(fromOther.json()).toEqual({ ip: '10.2.0.1', host: '127.0.0.1:8080', protocol: 'http' });
    const redirected = await trusting.app.inject({
      method: 'GET',
      url: '/connections',
      headers: forwarding,
      remoteAddress: '127.0.0.1',
    });
    expect(redirected.statusCode).toBe(307);
  });

  it('takes the client from the right: an address a client put in front of the proxy chain is not believed', async () => {
    // The client claims 192.0.2.1; the listed proxy 10.1.0.5 saw it come from 198.51.100.7.
    const echo = await trusting.app.inject({
      method: 'GET',
      url: ECHO,
      headers: { 'x-forwarded-for': '192.0.2.1, 198.51.100.7, 10.1.0.5' },
      remoteAddress: '10.1.2.3',
    });
    expect(echo.json().ip).toBe('198.51.100.7');
  });

  it('reads the standard Forwarded header from a listed proxy', async () => {
    const echo = await trusting.app.inject({
      method: 'GET',
      url: ECHO,
      headers: { host: '127.0.0.1:8080', forwarded: 'for="[2001:db8::7]:4711";host=localhost;proto=https' },
      remoteAddress: '10.1.2.3',
    });
    expect(echo.json()).toEqual({ ip: '2001:db8::7', host: 'localhost', protocol: 'https' });
    const chain = await trusting.app.inject({
      method: 'GET',
      url: ECHO,
      headers: { forwarded: 'for=192.0.2.1, for=198.51.100.7' },
      remoteAddress: '10.1.2.3',
    });
    expect(chain.json().ip).toBe('198.51.100.7');
  });
});

describe('a real socket from a second loopback address', () => {
  let t: TestApp;
  let port: number;
  beforeAll(async () => {
    // Only 127.0.0.1 is the proxy; 127.0.0.2 is a client on the same host.
    t = withEcho(await openTestApp(sqliteTestStore, { HITCH_TRUST_PROXY: '127.0.0.1' }));
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    port = (t.app.server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await maybe(t)?.close();
  });

  function get(
    localAddress: string,
    path: string,
    headers: Record<string, string>,
  ): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      const request = http.request(
        { host: '127.0.0.1', port, path, localAddress, headers: { host: `127.0.0.1:${port}`, ...headers } },
        (response) => {
          let body = '';
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => (body += chunk));
          response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
        },
      );
      request.on('error', reject);
      request.end();
    });
  }

  it('believes 127.0.0.1 and not 127.0.0.2', async () => {
    const headers = { 'x-forwarded-for': '203.0.113.9', 'x-forwarded-host': 'localhost', 'x-forwarded-proto': 'https' };
    const viaProxy = JSON.parse((await get('127.0.0.1', ECHO, headers)).body);
    expect(viaProxy).toEqual({ ip: '203.0.113.9', host: 'localhost', protocol: 'https' });
    const direct = JSON.parse((await get('127.0.0.2', ECHO, headers)).body);
    expect(direct).toEqual({ ip: '127.0.0.2', host: `127.0.0.1:${port}`, protocol: 'http' });
    expect((await get('127.0.0.2', '/connections', headers)).status).not.toBe(307);
    expect((await get('127.0.0.1', '/connections', headers)).status).toBe(307);
  });
});

describe.each(dialects)('sign-in limits see the client behind a listed proxy on $name', ({ open }) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await openTestApp(open, { HITCH_TRUST_PROXY: '127.0.0.1' });
  });
  afterAll(async () => {
    await maybe(t)?.close();
  });

  it('gives each client behind the proxy its own per-address limit, and a forged address from outside none', async () => {
    const attempt = (remoteAddress: string, forwardedFor?: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: uniqueEmail('spray'), password: 'guess guess' },
        remoteAddress,
        ...(forwardedFor ? { headers: { 'x-forwarded-for': forwardedFor } } : {}),
      });
    let last = 0;
    for (let i = 0; i < 31; i++) last = (await attempt('127.0.0.1', '198.51.100.1')).statusCode;
    expect(last).toBe(429);
    // Another client behind the same proxy is not limited by the first one's attempts.
    expect((await attempt('127.0.0.1', '198.51.100.2')).statusCode).toBe(401);
    // A client that is not the proxy cannot escape its limit by naming other addresses.
    for (let i = 0; i < 30; i++) await attempt('192.0.2.50', `203.0.113.${i}`);
    expect((await attempt('192.0.2.50', '203.0.113.200')).statusCode).toBe(429);
  }, 120_000);
});
