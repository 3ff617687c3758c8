/**
 * Server-side request forgery through the public API: every URL a person can give
 * Hitch (the generic app's OpenID issuer, Verify URIs of API-key and Basic
 * connections, base URLs reached through the proxy) aimed at loopback, private,
 * link-local, CGNAT, multicast, unspecified and cloud-metadata addresses — spelled
 * as decimal, hex, octal and short IPv4, IPv6, IPv4-mapped IPv6, DNS names that
 * resolve there (also among public answers: rebinding) and redirects — is refused
 * with `network_blocked`, and a canary listening on loopback never sees a request.
 * HITCH_ALLOW_PRIVATE_NETWORK and HITCH_ALLOWED_HOSTS open exactly what they say.
 * Address-level cases are in test/outbound/network-policy.test.ts and address-ranges.test.ts.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveWithDns, type ResolveHost } from '../../src/outbound/policy-connector.ts';
import { sqliteTestStore } from '../helpers/store.ts';
import { PUBLIC_URL } from '../http/app.ts';
import { startOAuthServer, type OAuthServer } from '../peers/oauth-server.ts';
import { record } from './figures.ts';
import { openHardenedWorld, type HardenedWorld } from './world.ts';
import { maybe } from '../helpers/maybe.ts';

let canary: Server;
let canaryHits = 0;
let port: number;
let server: OAuthServer;

/** Names a test DNS answers: one loopback, one that mixes a public address with loopback (rebinding). */
const resolve: ResolveHost = async (host) => {
  if (host === 'loopback.example.test') return ['127.0.0.1'];
  if (host === 'rebind.example.test') return ['93.184.216.34', '127.0.0.1'];
  if (host === 'allowed.example.test') return ['127.0.0.1'];
  if (host === 'metadata.example.test') return ['169.254.169.254'];
  return resolveWithDns(host);
};

beforeAll(async () => {
  canary = createServer((req, res) => {
    canaryHits += 1;
    if (req.url?.startsWith('/redirect')) {
      res.writeHead(302, { location: `http://127.0.0.1:${port}/me` });
      return void res.end();
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"id":"canary","email":"canary@example.com"}');
  });
  await new Promise<void>((r) => canary.listen(0, '127.0.0.1', r));
  port = (canary.address() as AddressInfo).port;
  server = await startOAuthServer({ redirectUris: [`${PUBLIC_URL}/oauth/callback`] });
});
afterAll(async () => {
  await new Promise((r) => canary.close(r));
  await server.close();
});

function blockedHosts(): string[] {
  return [
    `127.0.0.1:${port}`,
    `127.1:${port}`,
    `2130706433:${port}`,
    `0x7f000001:${port}`,
    `0177.0.0.1:${port}`,
    `0x7f.1:${port}`,
    `localhost:${port}`,
    `loopback.example.test:${port}`,
    `rebind.example.test:${port}`,
    `[::1]:${port}`,
    `[::ffff:127.0.0.1]:${port}`,
    `[::ffff:7f00:1]:${port}`,
    `[0:0:0:0:0:ffff:7f00:1]:${port}`,
    '0.0.0.0',
    '10.0.0.1',
    '172.16.0.1',
    '192.168.1.1',
    '100.64.0.1',
    '169.254.169.254',
    'metadata.example.test',
    '[fd00:ec2::254]',
    '[fe80::1]',
    '[fc00::1]',
    '224.0.0.1',
    '[ff02::1]',
    '255.255.255.255',
    '[64:ff9b::7f00:1]',
    '[2002:7f00:1::]',
  ];
}

describe('SSRF through the API, private networks blocked', { timeout: 120_000 }, () => {
  let w: HardenedWorld;
  beforeAll(async () => {
    w = await openHardenedWorld(sqliteTestStore, server, {
      env: { HITCH_ALLOW_PRIVATE_NETWORK: 'false' },
      resolveHostsWith: resolve,
    });
  });
  afterAll(async () => {
    await maybe(w)?.close();
  });

  // Hundreds of creations in a minute: the per-team creation limit (limits.test.ts) is reset before each.
  const create = async (payload: Record<string, unknown>) => {
    await w.t.store.db.deleteFrom('rate_limits').execute();
    return w.t.app.inject({ method: 'POST', url: '/api/v1/connections', headers: w.headers, payload });
  };

  function expectBlocked(response: { statusCode: number; body: string }, what: string) {
    record('ssrfRefused');
    expect(response.statusCode, `${what}: ${response.body}`).toBeGreaterThanOrEqual(400);
    expect(response.statusCode, what).toBeLessThan(500);
    expect(JSON.parse(response.body).error.code, `${what}: ${response.body}`).toBe('network_blocked');
  }

  it('refuses every spelling as an OpenID issuer, an API-key Verify URI and a Basic Verify URI', async () => {
    for (const host of blockedHosts()) {
      expectBlocked(
        await create({ app: 'http', parameters: { issuer: `https://${host}/`, clientId: 'c', clientSecret: 's' } }),
        `issuer ${host}`,
      );
      expectBlocked(
        await create({
          app: 'http',
          auth: 'apiKey',
          parameters: {
            key: 'k-secret',
            parameterName: 'X-Key',
            baseUrl: 'https://api.example.com',
            verifyUri: `http://${host}/me`,
          },
        }),
        `apiKey verify ${host}`,
      );
      expectBlocked(
        await create({
          app: 'http',
          auth: 'basic',
          parameters: {
            username: 'u',
            password: 'p-secret',
            baseUrl: 'https://api.example.com',
            verifyUri: `http://${host}/me`,
          },
        }),
        `basic verify ${host}`,
      );
    }
    expect(canaryHits).toBe(0);
    // Nothing was saved by a refused creation.
    const listed = await w.t.app.inject({ method: 'GET', url: '/api/v1/connections', headers: w.headers });
    expect(listed.json().items).toEqual([]);
  });

  it('refuses every spelling as a base URL reached through the proxy', async () => {
    const token = (
      await w.t.app.inject({ method: 'POST', url: '/api/v1/tokens', headers: w.headers, payload: { name: 'ssrf' } })
    ).json().token as string;
    for (const host of blockedHosts()) {
      const created = await create({
        app: 'http',
        auth: 'apiKey',
        parameters: { key: 'k-secret', parameterName: 'X-Key', baseUrl: `http://${host}/` },
      });
      if (created.statusCode !== 201) {
        expectBlocked(created, `apiKey baseUrl ${host}`);
        continue;
      }
      const id = created.json().connection.id as string;
      const proxied = await w.t.app.inject({
        method: 'GET',
        url: `/api/v1/connections/${id}/proxy/me`,
        headers: { authorization: `Bearer ${token}` },
      });
      expectBlocked(proxied, `proxy to ${host}`);
    }
    expect(canaryHits).toBe(0);
  });

  it('refuses a redirect from an allowed host into the private network', async () => {
    const allowed = await openHardenedWorld(sqliteTestStore, server, {
      env: { HITCH_ALLOW_PRIVATE_NETWORK: 'false', HITCH_ALLOWED_HOSTS: 'allowed.example.test' },
      resolveHostsWith: resolve,
    });
    try {
      const before = canaryHits;
      const response = await allowed.t.app.inject({
        method: 'POST',
        url: '/api/v1/connections',
        headers: allowed.headers,
        payload: {
          app: 'http',
          auth: 'apiKey',
          parameters: {
            key: 'k-secret',
            parameterName: 'X-Key',
            baseUrl: 'https://api.example.com',
            verifyUri: `http://allowed.example.test:${port}/redirect`,
          },
        },
      });
      // The allowed host was reached; the hop to 127.0.0.1 by address was not.
      expect(canaryHits).toBe(before + 1);
      expectBlocked(response, 'redirect to loopback');
      // The allowed name itself is reachable.
      const direct = await allowed.t.app.inject({
        method: 'POST',
        url: '/api/v1/connections',
        headers: allowed.headers,
        payload: {
          app: 'http',
          auth: 'apiKey',
          parameters: {
            key: 'k-secret',
            parameterName: 'X-Key',
            baseUrl: 'https://api.example.com',
            verifyUri: `http://allowed.example.test:${port}/me`,
          },
        },
      });
      expect(direct.statusCode, direct.body).toBe(201);
    } finally {
      await allowed.close();
    }
  });

  it('lets HITCH_ALLOW_PRIVATE_NETWORK=true reach the private network', async () => {
    const open = await openHardenedWorld(sqliteTestStore, server, {
      env: { HITCH_ALLOW_PRIVATE_NETWORK: 'true' },
      resolveHostsWith: resolve,
    });
    try {
      const before = canaryHits;
      const response = await open.t.app.inject({
        method: 'POST',
        url: '/api/v1/connections',
        headers: open.headers,
        payload: {
          app: 'http',
          auth: 'apiKey',
          parameters: {
            key: 'k-secret',
            parameterName: 'X-Key',
            baseUrl: 'https://api.example.com',
            verifyUri: `http://127.1:${port}/me`,
          },
        },
      });
      expect(response.statusCode, response.body).toBe(201);
      expect(canaryHits).toBe(before + 1);
    } finally {
      await open.close();
    }
  });
});
