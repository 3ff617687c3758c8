import http from 'node:http';
import net from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isHitchError } from '../../src/errors.ts';
import { createOutbound } from '../../src/outbound/client.ts';
import type { Outbound } from '../../src/outbound/types.ts';
import { defaultPolicy, startServer, type TestServer } from './servers.ts';

/**
 * A real CONNECT proxy on loopback that sends every tunnel to 127.0.0.1, as a
 * corporate proxy would send it wherever its own DNS says.
 */
let proxy: http.Server;
let proxyUrl: string;
const tunnels: string[] = [];
let server: TestServer;
const clients: Outbound[] = [];

beforeAll(async () => {
  server = await startServer((_req, res) => res.end('through'));
  proxy = http.createServer((_req, res) => res.writeHead(405).end());
  proxy.on('connect', (req: http.IncomingMessage, socket: net.Socket, head: Buffer) => {
    tunnels.push(req.url ?? '');
    const port = Number((req.url ?? '').split(':').pop());
    const upstream = net.connect(port, '127.0.0.1', () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    upstream.on('error', () => socket.destroy());
    socket.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as net.AddressInfo).port}`;
});
afterAll(async () => {
  proxy.closeAllConnections();
  await new Promise((resolve) => proxy.close(resolve));
  await server.close();
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  tunnels.length = 0;
  server.received.length = 0;
});

function client(answers: Record<string, string>, noProxy = ''): Outbound {
  const c = createOutbound({
    network: defaultPolicy,
    proxy: { httpProxy: proxyUrl, httpsProxy: proxyUrl, noProxy },
    dangerouslyResolveHostsWith: async (hostname) => [answers[hostname] ?? '198.51.100.1'],
  });
  clients.push(c);
  return c;
}

describe('through an outbound proxy', () => {
  it('sends a call to a public name through the proxy, which does the connecting', async () => {
    const res = await client({ 'api.public.example': '8.8.8.8' }).request({
      url: `http://api.public.example:${server.port}/`,
    });
    expect(res.text()).toBe('through');
    expect(tunnels).toEqual([`api.public.example:${server.port}`]);
  });

  it('checks the name before sending, so a private answer never reaches the proxy', async () => {
    const error = await client({ 'internal.example': '10.0.0.5' })
      .request({ url: `http://internal.example:${server.port}/` })
      .catch((e: unknown) => e);
    expect(isHitchError(error, 'network_blocked')).toBe(true);
    const literal = await client({})
      .request({ url: `http://127.0.0.1:${server.port}/` })
      .catch((e: unknown) => e);
    expect(isHitchError(literal, 'network_blocked')).toBe(true);
    expect(tunnels).toEqual([]);
    expect(server.received).toHaveLength(0);
  });

  it('keeps to the deadline while resolving a name for the check', async () => {
    const outbound = createOutbound({
      network: defaultPolicy,
      proxy: { httpProxy: proxyUrl },
      dangerouslyResolveHostsWith: () => new Promise<string[]>(() => {}),
    });
    clients.push(outbound);
    const error = await outbound.request({ url: 'http://slow-dns.example/', timeoutMs: 300 }).catch((e: unknown) => e);
    expect(isHitchError(error, 'upstream_timeout')).toBe(true);
    expect(tunnels).toEqual([]);
  });

  it('connects directly to hosts in NO_PROXY', async () => {
    const outbound = createOutbound({
      network: { allowPrivateNetwork: false, allowedHosts: ['direct.example'] },
      proxy: { httpProxy: proxyUrl, noProxy: 'direct.example' },
      dangerouslyResolveHostsWith: async () => ['127.0.0.1'],
    });
    clients.push(outbound);
    const res = await outbound.request({ url: `http://direct.example:${server.port}/` });
    expect(res.text()).toBe('through');
    expect(tunnels).toEqual([]);
  });
});
