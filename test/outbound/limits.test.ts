import net from 'node:net';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { isHitchError, type HitchError } from '../../src/errors.ts';
import { createLogger } from '../../src/log.ts';
import { createOutbound } from '../../src/outbound/client.ts';
import type { Outbound } from '../../src/outbound/types.ts';
import { openPolicy, startServer, type TestServer } from './servers.ts';

const servers: TestServer[] = [];
const clients: Outbound[] = [];
async function serve(handler: Parameters<typeof startServer>[0]): Promise<TestServer> {
  const s = await startServer(handler);
  servers.push(s);
  return s;
}
function client(options: Partial<Parameters<typeof createOutbound>[0]> = {}): Outbound {
  const c = createOutbound({ network: openPolicy, ...options });
  clients.push(c);
  return c;
}
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function failure(promise: Promise<unknown>): Promise<HitchError> {
  const error = await promise.then(
    () => new Error('expected the call to fail'),
    (e: unknown) => e,
  );
  if (!isHitchError(error)) throw error;
  return error;
}

describe('timeouts', () => {
  it('gives up on a server that never answers with upstream_timeout naming the host', async () => {
    const server = await serve(() => {
      /* never answers */
    });
    const error = await failure(client().request({ url: `${server.origin}/`, timeoutMs: 300 }));
    expect(error.code).toBe('upstream_timeout');
    expect(error.message).toBe('127.0.0.1 did not answer within 300 ms.');
  });

  it('gives up on a body that drips a byte at a time, however steadily it arrives', async () => {
    let writing = true;
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      const drip = setInterval(() => (writing ? res.write('.') : clearInterval(drip)), 20);
      res.on('close', () => clearInterval(drip));
    });
    const error = await failure(client().request({ url: `${server.origin}/`, timeoutMs: 500 }));
    writing = false;
    expect(error.code).toBe('upstream_timeout');
  });

  it("passes the caller's own abort through as it is", async () => {
    const server = await serve(() => {});
    const controller = new AbortController();
    const call = client().request({ url: `${server.origin}/`, signal: controller.signal });
    setTimeout(() => controller.abort(new Error('caller gave up')), 50);
    await expect(call).rejects.toThrow('caller gave up');
  });
});

describe('response size', () => {
  const TEN_MB = 10 * 1024 * 1024;

  it('refuses a 10 MB body declared by Content-Length without reading it', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-length': TEN_MB });
      res.end(Buffer.alloc(TEN_MB, 97));
    });
    const error = await failure(client().request({ url: `${server.origin}/` }));
    expect(error.code).toBe('upstream_response_too_large');
    expect(error.message).toContain('5 MiB');
  });

  it('stops reading an endless chunked body at the limit and closes the connection', async () => {
    let serverSawClose!: () => void;
    const closed = new Promise<void>((resolve) => (serverSawClose = resolve));
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      const chunk = Buffer.alloc(64 * 1024, 98);
      const pump = () => {
        while (!res.destroyed && res.write(chunk));
      };
      res.on('drain', pump);
      res.on('close', () => serverSawClose());
      pump();
    });
    const error = await failure(client().request({ url: `${server.origin}/`, maxResponseBytes: 1024 * 1024 }));
    expect(error.code).toBe('upstream_response_too_large');
    await closed;
  });

  it('accepts a body right at the limit', async () => {
    const server = await serve((_req, res) => res.end(Buffer.alloc(1000, 99)));
    const res = await client().request({ url: `${server.origin}/`, maxResponseBytes: 1000 });
    expect(res.body.length).toBe(1000);
  });
});

describe('failures', () => {
  it('reports a connection reset as upstream_unreachable naming the host', async () => {
    const server = await serve((req) => req.socket.resetAndDestroy());
    const error = await failure(client().request({ url: `${server.origin}/` }));
    expect(error.code).toBe('upstream_unreachable');
    expect(error.message).toContain('127.0.0.1');
  });

  it('reports a refused connection as upstream_unreachable', async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = net.createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as net.AddressInfo;
        probe.close(() => resolve(port));
      });
    });
    const error = await failure(client().request({ url: `http://127.0.0.1:${port}/` }));
    expect(error.code).toBe('upstream_unreachable');
    expect(error.message).toBe('Hitch could not connect to 127.0.0.1: the connection was refused.');
  });

  it('reports a name DNS does not know as upstream_unreachable', async () => {
    const notFound = async (hostname: string): Promise<string[]> => {
      throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    };
    const error = await failure(
      client({ dangerouslyResolveHostsWith: notFound }).request({ url: 'https://nowhere.example/' }),
    );
    expect(error.code).toBe('upstream_unreachable');
    expect(error.message).toContain('nowhere.example');
  });

  it('reports a body that is not JSON as upstream_bad_response when json() is asked for', async () => {
    const server = await serve((_req, res) => res.end('<html>oops</html>'));
    const res = await client().request({ url: `${server.origin}/` });
    expect(res.text()).toBe('<html>oops</html>');
    let error: unknown;
    try {
      res.json();
    } catch (e) {
      error = e;
    }
    expect(isHitchError(error, 'upstream_bad_response')).toBe(true);
  });
});

describe('connections', () => {
  it('reuses kept-alive connections instead of opening one per call', async () => {
    const ports = new Set<number>();
    const server = await serve((req, res) => {
      ports.add(req.socket.remotePort ?? 0);
      res.end('ok');
    });
    const outbound = client();
    for (let i = 0; i < 10; i++) await outbound.request({ url: `${server.origin}/${i}` });
    // undici may open a second socket while the first is being released; never ten.
    expect(ports.size).toBeLessThan(5);
  });
});

describe('logging', () => {
  it('logs method, redacted URL, status and time at debug, never headers or bodies', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, cb) {
        lines.push(chunk.toString());
        cb();
      },
    });
    const server = await serve((_req, res) => res.end('{"secret":"body-secret"}'));
    const outbound = client({ log: createLogger('debug', sink) });
    await outbound.request({
      url: `${server.origin}/items?access_token=url-secret&page=2`,
      headers: { authorization: 'Bearer header-secret' },
      body: 'request-secret',
      method: 'POST',
    });
    const entry = JSON.parse(lines.find((l) => l.includes('outbound call')) ?? '{}') as Record<string, unknown>;
    expect(entry).toMatchObject({
      level: 20,
      method: 'POST',
      status: 200,
      url: `${server.origin}/items?access_token=%5Bredacted%5D&page=2`,
    });
    expect(typeof entry.ms).toBe('number');
    const all = lines.join('\n');
    for (const secret of ['url-secret', 'header-secret', 'body-secret', 'request-secret'])
      expect(all).not.toContain(secret);
  });
});
