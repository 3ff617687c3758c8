import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { clientCertificateOf } from '../helpers/origins.ts';

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

export interface Pki {
  dir: string;
  caCert: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
  /** Another client certificate from the same CA, with its key. */
  otherCert: string;
  otherKey: string;
  /** A self-signed client certificate the CA did not sign. */
  strangerCert: string;
  strangerKey: string;
  cleanup(): void;
}

/** A CA, a server certificate for 127.0.0.1 and client certificates, made with the openssl CLI. */
export function makePki(): Pki {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hitch-pki-'));
  const run = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
  run(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
    '-days',
    '1',
    '-subj',
    '/CN=Test CA',
  );
  const signed = (name: string, cn: string, ext?: string) => {
    run('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${cn}`);
    if (ext) fs.writeFileSync(path.join(dir, `${name}.ext`), ext);
    run(
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-out',
      `${name}.pem`,
      '-days',
      '1',
      ...(ext ? ['-extfile', `${name}.ext`] : []),
    );
  };
  signed('server', '127.0.0.1', 'subjectAltName=IP:127.0.0.1\n');
  signed('client', 'hitch-client');
  signed('other', 'other-client');
  run(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'stranger.key',
    '-out',
    'stranger.pem',
    '-days',
    '1',
    '-subj',
    '/CN=stranger',
  );
  const read = (f: string) => fs.readFileSync(path.join(dir, f), 'utf8');
  return {
    dir,
    caCert: read('ca.pem'),
    serverCert: read('server.pem'),
    serverKey: read('server.key'),
    clientCert: read('client.pem'),
    clientKey: read('client.key'),
    otherCert: read('other.pem'),
    otherKey: read('other.key'),
    strangerCert: read('stranger.pem'),
    strangerKey: read('stranger.key'),
    cleanup: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
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
