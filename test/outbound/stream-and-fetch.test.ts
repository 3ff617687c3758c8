import { text } from 'node:stream/consumers';
import * as oauth from 'oauth4webapi';
import { afterEach, describe, expect, it } from 'vitest';
import { isHitchError } from '../../src/errors.ts';
import { createOutbound } from '../../src/outbound/client.ts';
import type { Outbound } from '../../src/outbound/types.ts';
import { defaultPolicy, openPolicy, startServer, type TestServer } from './servers.ts';

const servers: TestServer[] = [];
const clients: Outbound[] = [];
async function serve(handler: Parameters<typeof startServer>[0]): Promise<TestServer> {
  const s = await startServer(handler);
  servers.push(s);
  return s;
}
function client(network = openPolicy): Outbound {
  const c = createOutbound({ network });
  clients.push(c);
  return c;
}
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

describe('stream()', () => {
  it('hands the first chunk on before the server has finished, and passes 20 MB through', async () => {
    const CHUNK = 1024 * 1024;
    const TOTAL_CHUNKS = 20;
    let firstChunkSeen!: () => void;
    const clientHasFirstChunk = new Promise<void>((resolve) => (firstChunkSeen = resolve));
    let serverFinished = false;
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      res.write(Buffer.alloc(CHUNK, 1));
      // The rest is only written once the client shows it has the first part, so a
      // client that buffered the whole body would wait here until its deadline.
      void clientHasFirstChunk.then(async () => {
        for (let i = 1; i < TOTAL_CHUNKS; i++) {
          if (!res.write(Buffer.alloc(CHUNK, 1))) await new Promise((r) => res.once('drain', r));
        }
        serverFinished = true;
        res.end();
      });
    });

    const res = await client().stream({ url: `${server.origin}/big` });
    expect(res.status).toBe(200);
    let received = 0;
    let finishedWhenFirstChunkArrived: boolean | undefined;
    for await (const chunk of res.body) {
      if (finishedWhenFirstChunkArrived === undefined) {
        finishedWhenFirstChunkArrived = serverFinished;
        firstChunkSeen();
      }
      received += (chunk as Buffer).length;
    }
    expect(finishedWhenFirstChunkArrived).toBe(false);
    expect(received).toBe(CHUNK * TOTAL_CHUNKS);
  });

  it('fails the body with upstream_response_too_large past an explicit limit', async () => {
    const server = await serve((_req, res) => res.end(Buffer.alloc(200_000, 1)));
    const res = await client().stream({ url: `${server.origin}/`, maxResponseBytes: 50_000 });
    // Read to the end: the failure comes from the body.
    const error = await res.body.toArray().catch((e: unknown) => e);
    expect(isHitchError(error, 'upstream_response_too_large')).toBe(true);
  });

  it('fails the body with upstream_timeout when it drips past the deadline', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200);
      const drip = setInterval(() => res.write('.'), 20);
      res.on('close', () => clearInterval(drip));
    });
    const res = await client().stream({ url: `${server.origin}/`, timeoutMs: 400 });
    // Read to the end: the failure comes from the body.
    const error = await res.body.toArray().catch((e: unknown) => e);
    expect(isHitchError(error, 'upstream_timeout')).toBe(true);
  });

  it('is held to the network policy like every call', async () => {
    const server = await serve((_req, res) => res.end('no'));
    const error = await client(defaultPolicy)
      .stream({ url: `${server.origin}/` })
      .catch((e: unknown) => e);
    expect(isHitchError(error, 'network_blocked')).toBe(true);
    expect(server.received).toHaveLength(0);
  });
});

describe('an answer that has arrived whole', () => {
  it('is taken in one piece, without a stream, and counts as consumed', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': 11 });
      res.end('{"ok":true}');
    });
    const answer = await client().stream({ url: `${server.origin}/small` });
    let consumed = 0;
    answer.whenConsumed(() => consumed++);
    expect(answer.takeArrived()?.toString()).toBe('{"ok":true}');
    expect(consumed).toBe(1);
    // Taken once: nothing is left for a second taker, and the stream, if asked for, is empty and ends.
    expect(answer.takeArrived()).toBeNull();
    expect(await text(answer.body)).toBe('');
    answer.whenConsumed(() => consumed++);
    expect(consumed).toBe(2);
  });

  it('is empty, not missing, when the service sent no body', async () => {
    const server = await serve((_req, res) => res.writeHead(200, { 'content-length': 0 }).end());
    const answer = await client().stream({ url: `${server.origin}/empty` });
    expect(answer.takeArrived()).toEqual(Buffer.alloc(0));
  });

  it('is not taken while the service is still sending, nor once something reads the stream', async () => {
    let finish!: () => void;
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('first ');
      finish = () => res.end('last');
    });
    const slow = await client().stream({ url: `${server.origin}/slow` });
    expect(slow.takeArrived()).toBeNull();
    const consumed = new Promise<void>((resolve) => slow.whenConsumed(resolve));
    const chunks: Buffer[] = [];
    slow.body.on('data', (chunk: Buffer) => chunks.push(chunk));
    await new Promise((resolve) => setTimeout(resolve, 20));
    finish();
    await new Promise((resolve) => slow.body.once('end', resolve));
    expect(Buffer.concat(chunks).toString()).toBe('first last');
    expect(slow.takeArrived()).toBeNull();
    await consumed;
  });

  it('waits, every byte of it, for a stream asked for late, with the socket paused meanwhile', async () => {
    const sent = Buffer.alloc(1024 * 1024);
    for (let i = 0; i < sent.length; i++) sent[i] = i % 251;
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      res.end(sent);
    });
    const answer = await client().stream({ url: `${server.origin}/large` });
    await new Promise((resolve) => setTimeout(resolve, 50));
    // Past one read's worth the socket was paused, so the answer has not all arrived.
    expect(answer.takeArrived()).toBeNull();
    const chunks: Buffer[] = [];
    for await (const chunk of answer.body) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).equals(sent)).toBe(true);
  });

  it('fails its stream when it failed before anyone asked for it, and counts as consumed', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain', 'content-length': 100 });
      res.write('only part');
      setTimeout(() => res.destroy(), 10);
    });
    const answer = await client().stream({ url: `${server.origin}/cut` });
    await new Promise<void>((resolve) => answer.whenConsumed(resolve));
    expect(answer.takeArrived()).toBeNull();
    const failed = await text(answer.body).catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(Error);
  });
});

describe('fetch()', () => {
  it("serves as oauth4webapi's customFetch for a client credentials grant", async () => {
    const server = await serve((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify({ access_token: 'at-1', token_type: 'Bearer', expires_in: 3600 }));
    });
    const outbound = client();
    const as: oauth.AuthorizationServer = { issuer: server.origin, token_endpoint: `${server.origin}/token` };
    const oauthClient: oauth.Client = { client_id: 'hitch' };
    const response = await oauth.clientCredentialsGrantRequest(
      as,
      oauthClient,
      oauth.ClientSecretBasic('shh'),
      new URLSearchParams({ scope: 'read' }),
      {
        [oauth.customFetch]: outbound.fetch,
        // oxlint-disable-next-line typescript/no-deprecated -- deprecated only to stand out; the test server is plain HTTP
        [oauth.allowInsecureRequests]: true,
      },
    );
    const tokens = await oauth.processClientCredentialsResponse(as, oauthClient, response);
    expect(tokens.access_token).toBe('at-1');

    const sent = server.received[0];
    expect(sent?.method).toBe('POST');
    expect(sent?.headers['content-type']).toMatch(/^application\/x-www-form-urlencoded/);
    expect(new URLSearchParams(sent?.body)).toEqual(
      new URLSearchParams({ scope: 'read', grant_type: 'client_credentials' }),
    );
    expect(sent?.headers.authorization).toBe(`Basic ${Buffer.from('hitch:shh').toString('base64')}`);
  });

  it('returns a Response with status, headers, url and json()', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(201, { 'content-type': 'application/json', 'set-cookie': ['a=1', 'b=2'] });
      res.end('{"ok":true}');
    });
    const response = await client().fetch(`${server.origin}/things`, {
      method: 'POST',
      body: JSON.stringify({ x: 1 }),
      headers: { 'content-type': 'application/json' },
    });
    expect(response).toBeInstanceOf(Response);
    expect(response.status).toBe(201);
    expect(response.url).toBe(`${server.origin}/things`);
    expect(response.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
    expect(await response.json()).toEqual({ ok: true });
    expect(server.received[0]?.body).toBe('{"x":1}');
  });

  it('returns redirects instead of following them', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(302, { location: 'https://elsewhere.example/' });
      res.end();
    });
    const response = await client().fetch(`${server.origin}/`, { redirect: 'manual' });
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('https://elsewhere.example/');
  });

  it('is held to the network policy like every call', async () => {
    const server = await serve((_req, res) => res.end('no'));
    const error = await client(defaultPolicy)
      .fetch(`${server.origin}/`)
      .catch((e: unknown) => e);
    expect(isHitchError(error, 'network_blocked')).toBe(true);
    expect(server.received).toHaveLength(0);
  });
});
