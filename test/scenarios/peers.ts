import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { clientCertificateOf } from '../helpers/origins.ts';
import type { Pki } from '../helpers/pki.ts';

export interface Received {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** Subject of the client certificate, on the mutual-TLS service. */
  clientSubject?: string;
}

export interface Peer {
  origin: string;
  received: Received[];
  close(): Promise<void>;
}

type Handler = (req: Received) => Promise<{ status: number; body: unknown }> | { status: number; body: unknown };

async function listen(
  server: http.Server | https.Server,
  scheme: 'http' | 'https',
  handler: Handler,
  received: Received[],
): Promise<Peer> {
  server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const peer = clientCertificateOf(req.socket);
      const record: Received = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        ...(peer && peer.subject ? { clientSubject: String(peer.subject.CN) } : {}),
      };
      received.push(record);
      // The answer is written when the handler settles; nothing waits for it here.
      void Promise.resolve(handler(record)).then(({ status, body }) => {
        res.writeHead(status, { 'content-type': 'application/json', 'set-cookie': 'session=should-not-be-kept' });
        res.end(JSON.stringify(body));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `${scheme}://127.0.0.1:${port}`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function startHttpPeer(handler: Handler): Promise<Peer> {
  return listen(http.createServer(), 'http', handler, []);
}

/** A service that wants `x-api-key: <key>`. */
export function startApiKeyService(key: string): Promise<Peer> {
  return startHttpPeer((req) =>
    req.headers['x-api-key'] === key
      ? { status: 200, body: { items: [{ name: 'first item', id: 41 }], path: req.url } }
      : { status: 401, body: { error: 'bad key' } },
  );
}

/** A service that wants HTTP Basic. */
export function startBasicService(username: string, password: string): Promise<Peer> {
  const expected = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
  return startHttpPeer((req) =>
    req.headers.authorization === expected
      ? { status: 200, body: { user: username, got: req.body ? JSON.parse(req.body) : null } }
      : { status: 401, body: { error: 'who are you' } },
  );
}

/**
 * A resource server in front of the OAuth server: accepts a bearer token when
 * the OAuth server's userinfo does, and records every call that reaches it.
 */
export function startResourceServer(userinfoUrl: string): Promise<Peer> {
  return startHttpPeer(async (req) => {
    const answer = await fetch(userinfoUrl, { headers: { authorization: req.headers.authorization ?? '' } });
    if (!answer.ok) return { status: 401, body: { error: 'invalid_token' } };
    const me = (await answer.json()) as Record<string, unknown>;
    return {
      status: 200,
      body: { id: `note-${req.url.length}`, sub: me.sub, path: req.url, items: [{ name: 'alpha' }, { name: 'beta' }] },
    };
  });
}

/** HTTPS that answers only clients presenting a certificate the test CA signed. */
export function startMutualTlsService(pki: Pki): Promise<Peer> {
  const server = https.createServer({
    key: pki.serverKey,
    cert: pki.serverCert,
    ca: pki.caCert,
    requestCert: true,
    rejectUnauthorized: true,
  });
  return listen(server, 'https', (req) => ({ status: 200, body: { hello: req.clientSubject ?? null } }), []);
}
