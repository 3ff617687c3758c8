/**
 * A "good" and an "evil" host for credential tests: two HTTP(S) servers on two
 * loopback addresses (127.0.0.1 and 127.0.0.2, so they are different origins by
 * host, not only by port), written from the specs rather than from Hitch's client:
 *
 * - `/redirect?status=S&to=URL` answers S with `Location: URL` (RFC 9110 §15.4,
 *   §10.2.2); `&echo=1` appends the request's other query parameters to URL, as a
 *   service does when it moves a resource and keeps the query.
 * - `/token` is an RFC 6749 §5.1 token endpoint for any grant: it answers a
 *   Bearer token, `token`.
 * - anything else answers 200 with what it received, as JSON (`{method, url,
 *   headers, body}`): the service that echoes the request back.
 *
 * Everything received is recorded, and on HTTPS whether the peer presented a
 * client certificate in each handshake.
 */
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { TLSSocket, type PeerCertificate } from 'node:tls';
import { makePki, type Pki } from './pki.ts';

export const GOOD_HOST = '127.0.0.1';
export const EVIL_HOST = '127.0.0.2';
/** The default network policy, with only the two test hosts opened. */
export const twoHostPolicy = { allowPrivateNetwork: false, allowedHosts: [GOOD_HOST, EVIL_HOST] };

export interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** HTTPS only: the connection this request came on was authenticated with a client certificate. */
  clientCertificate?: boolean;
}

export interface Origin {
  origin: string;
  received: Seen[];
  /** One entry per TLS handshake (HTTPS only): did the peer present a certificate? */
  clientCertificates: boolean[];
  /** Everything received, as one string to search secrets in. */
  everything(): string;
  reset(): void;
  close(): Promise<void>;
}

/** A CA, a server certificate for both loopback addresses and a client certificate. */
export function makeTwoHostPki(): Pki {
  return makePki({ serverIps: [GOOD_HOST, EVIL_HOST] });
}

/**
 * The certificate a client sent, as Node really answers: `{}` when it sent none and null once the socket is
 * destroyed (@types/node says neither); undefined over plain HTTP.
 */
export function clientCertificateOf(socket: unknown): Partial<PeerCertificate> | null | undefined {
  return socket instanceof TLSSocket ? socket.getPeerCertificate() : undefined;
}

export async function startOrigin(host: string, options: { pki?: Pki } = {}): Promise<Origin> {
  const received: Seen[] = [];
  const clientCertificates: boolean[] = [];
  const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const peer = options.pki ? clientCertificateOf(req.socket) : undefined;
      const seen: Seen = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        ...(options.pki ? { clientCertificate: Boolean(peer?.subject) } : {}),
      };
      received.push(seen);
      const url = new URL(seen.url, 'http://x');
      if (url.pathname === '/redirect') {
        const target = new URL(url.searchParams.get('to') ?? '/', `http://${req.headers.host}`);
        if (url.searchParams.get('echo') === '1') {
          for (const [k, v] of url.searchParams)
            if (!['to', 'status', 'echo'].includes(k)) target.searchParams.append(k, v);
        }
        const to = /^https?:/i.test(url.searchParams.get('to') ?? '')
          ? target.href
          : `${target.pathname}${target.search}`;
        res.writeHead(Number(url.searchParams.get('status') ?? 302), { location: to });
        res.end();
        return;
      }
      if (url.pathname === '/token') {
        res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
        res.end(
          JSON.stringify({ access_token: `token-${host}-0123456789abcdef`, token_type: 'Bearer', expires_in: 3600 }),
        );
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(seen));
    });
  };
  const server = options.pki
    ? https.createServer(
        {
          key: options.pki.serverKey,
          cert: options.pki.serverCert,
          ca: options.pki.caCert,
          requestCert: true,
          rejectUnauthorized: false,
        },
        handler,
      )
    : http.createServer(handler);
  if (options.pki)
    server.on('secureConnection', (socket: TLSSocket) =>
      clientCertificates.push(Boolean(clientCertificateOf(socket)?.subject)),
    );
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `${options.pki ? 'https' : 'http'}://${host}:${port}`,
    received,
    clientCertificates,
    everything: () => received.map((r) => `${r.method} ${r.url}\n${JSON.stringify(r.headers)}\n${r.body}`).join('\n'),
    reset() {
      received.length = 0;
      clientCertificates.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** `from`'s URL that redirects with `status` to `to`. */
export function redirectVia(
  from: Origin,
  to: string,
  status: number,
  extraQuery: Record<string, string> = {},
  echo = false,
): string {
  const url = new URL(`${from.origin}/redirect`);
  url.searchParams.set('status', String(status));
  url.searchParams.set('to', to);
  if (echo) url.searchParams.set('echo', '1');
  for (const [k, v] of Object.entries(extraQuery)) url.searchParams.set(k, v);
  return url.href;
}

/** The spellings of a secret a request could carry it in. */
export function spellings(secret: string): string[] {
  return [
    secret,
    encodeURIComponent(secret),
    Buffer.from(secret).toString('base64'),
    Buffer.from(secret).toString('base64').replace(/=+$/, ''),
  ];
}
