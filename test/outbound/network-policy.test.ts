import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config.ts';
import { isHitchError } from '../../src/errors.ts';
import { createOutbound } from '../../src/outbound/client.ts';
import type { Outbound } from '../../src/outbound/types.ts';
import { defaultPolicy, resolveToLoopback, startServer, type TestServer } from './servers.ts';

let server: TestServer;
const clients: Outbound[] = [];
function client(...args: Parameters<typeof createOutbound>): Outbound {
  const c = createOutbound(...args);
  clients.push(c);
  return c;
}

beforeAll(async () => {
  server = await startServer((_req, res) => res.end('hello'));
});
afterAll(() => server.close());
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  server.received.length = 0;
});

async function refusal(promise: Promise<unknown>) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(isHitchError(error, 'network_blocked'), `expected network_blocked, got ${String(error)}`).toBe(true);
  return error as Error;
}

describe('network policy, default', () => {
  it('refuses 127.0.0.1, names the host but not the URL, and sends nothing', async () => {
    const error = await refusal(
      client({ network: defaultPolicy }).request({ url: `${server.origin}/path?token=secret` }),
    );
    expect(error.message).toContain('127.0.0.1');
    expect(error.message).toContain('loopback');
    expect(error.message).not.toContain('secret');
    expect(error.message).not.toContain('/path');
    expect(server.received).toHaveLength(0);
  });

  it('refuses localhost, which resolves to loopback', async () => {
    const error = await refusal(
      client({ network: defaultPolicy }).request({ url: `http://localhost:${server.port}/` }),
    );
    expect(error.message).toContain('localhost resolves to a loopback address');
    expect(server.received).toHaveLength(0);
  });

  it('refuses a public-looking name that resolves to 127.0.0.1 at connection time (DNS rebinding)', async () => {
    const outbound = client({ network: defaultPolicy, dangerouslyResolveHostsWith: resolveToLoopback });
    const error = await refusal(outbound.request({ url: `http://api.rebind.example:${server.port}/` }));
    expect(error.message).toContain('api.rebind.example');
    expect(server.received).toHaveLength(0);
  });

  it('refuses a name when any one of its addresses is private, before dialling any', async () => {
    const outbound = client({
      network: defaultPolicy,
      dangerouslyResolveHostsWith: async () => ['8.8.8.8', '127.0.0.1'],
    });
    await refusal(outbound.request({ url: `http://mixed.example:${server.port}/` }));
    expect(server.received).toHaveLength(0);
  });

  it.each([
    ['IPv4-mapped IPv6', 'http://[::ffff:127.0.0.1]:PORT/'],
    ['IPv6 loopback', 'http://[::1]:PORT/'],
    ['hex short form', 'http://0x7f.1:PORT/'],
    ['decimal form', 'http://2130706433:PORT/'],
    ['short form', 'http://127.1:PORT/'],
    ['octal form', 'http://0177.0.0.1:PORT/'],
    ['cloud metadata', 'http://169.254.169.254/latest/meta-data/'],
    ['AWS IPv6 metadata', 'http://[fd00:ec2::254]/'],
    ['NAT64 of loopback', 'http://[64:ff9b::7f00:1]:PORT/'],
    ['IPv4-compatible loopback', 'http://[::127.0.0.1]:PORT/'],
    ['6to4 of a private address', 'http://[2002:c0a8:0101::1]/'],
    ['unspecified', 'http://0.0.0.0:PORT/'],
    ['IPv6 unspecified', 'http://[::]:PORT/'],
    ['RFC 1918', 'http://10.1.2.3/'],
    ['RFC 1918 (192.168)', 'http://192.168.0.1/'],
    ['CGNAT', 'http://100.64.0.1/'],
    ['link-local IPv6', 'http://[fe80::1]/'],
    ['unique-local IPv6', 'http://[fc00::1]/'],
    ['multicast', 'http://224.0.0.1/'],
    ['broadcast', 'http://255.255.255.255/'],
    ['reserved (TEST-NET-3)', 'http://203.0.113.7/'],
    ['IPv6 documentation range', 'http://[2001:db8::1]/'],
  ])('refuses %s (%s) before connecting', async (_name, template) => {
    const url = template.replace('PORT', String(server.port));
    await refusal(client({ network: defaultPolicy }).request({ url, timeoutMs: 2000 }));
    expect(server.received).toHaveLength(0);
  });

  it('sees the loopback forms WHATWG URL parsing normalises for http(s) URLs', () => {
    for (const host of ['2130706433', '0x7f000001', '0x7f.1', '127.1', '0177.0.0.1', '017700000001', '127.0.1']) {
      expect(new URL(`http://${host}/`).hostname, host).toBe('127.0.0.1');
    }
    expect(new URL('https://[::ffff:127.0.0.1]/').hostname).toBe('[::ffff:7f00:1]');
  });

  it('accepts only http and https URLs', async () => {
    const outbound = client({ network: defaultPolicy });
    for (const url of [
      'ftp://example.com/file',
      'file:///etc/passwd',
      'gopher://example.com/',
      'data:text/plain,hi',
      'not a url',
    ]) {
      const error = await outbound.request({ url }).catch((e: unknown) => e);
      expect(isHitchError(error, 'validation_failed'), url).toBe(true);
    }
  });
});

describe('network policy, opened by configuration', () => {
  it('allows loopback with allowPrivateNetwork', async () => {
    const res = await client({ network: { allowPrivateNetwork: true, allowedHosts: [] } }).request({
      url: `${server.origin}/`,
    });
    expect(res.text()).toBe('hello');
  });

  it('allows an address inside an allowed CIDR, and only that', async () => {
    const outbound = client({ network: { allowPrivateNetwork: false, allowedHosts: ['127.0.0.0/8'] } });
    expect((await outbound.request({ url: `${server.origin}/` })).text()).toBe('hello');
    await refusal(outbound.request({ url: 'http://10.0.0.1/' }));
  });

  it('allows a name on the list, exactly or by wildcard, at any address it resolves to', async () => {
    const outbound = client({
      network: { allowPrivateNetwork: false, allowedHosts: ['internal.corp.example', '*.svc.example'] },
      dangerouslyResolveHostsWith: resolveToLoopback,
    });
    expect((await outbound.request({ url: `http://internal.corp.example:${server.port}/` })).status).toBe(200);
    expect((await outbound.request({ url: `http://billing.svc.example:${server.port}/` })).status).toBe(200);
    await refusal(outbound.request({ url: `http://other.corp.example:${server.port}/` }));
    // The wildcard covers subdomains, not the domain itself.
    await refusal(outbound.request({ url: `http://svc.example:${server.port}/` }));
  });

  it('refuses a malformed HITCH_ALLOWED_HOSTS entry at start, naming it', () => {
    expect(() => createOutbound({ network: { allowPrivateNetwork: false, allowedHosts: ['10.0.0.0/99'] } })).toThrow(
      ConfigError,
    );
    expect(() => createOutbound({ network: { allowPrivateNetwork: false, allowedHosts: ['host:8080'] } })).toThrow(
      /host:8080/,
    );
  });
});
