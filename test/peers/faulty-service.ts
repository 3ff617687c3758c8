/**
 * A service that misbehaves on cue: a node:http server standing in front of a real
 * upstream (oidc-provider's token and userinfo endpoints). While no fault is armed
 * for a path it forwards requests unchanged, so a connection can be authorized
 * through it; armed, it answers that path the way broken services do. It counts
 * every request per path, so tests can prove Hitch does not hammer it.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export const FAULTS = [
  'status_500',
  'status_502_retry_after',
  'status_503_retry_after',
  'timeout',
  'reset',
  'html',
  'no_access_token',
  'huge_body',
  'redirect_loop',
  'invalid_grant',
  'invalid_client',
  'slow_drip',
] as const;
/** The FAULTS, plus a service that quotes the request (tokens, client secret) back in its error. */
export type Fault = (typeof FAULTS)[number] | 'echo_secrets' | 'slow_answer';

/** Size of the `huge_body` answer: twice Hitch's default response limit. */
export const HUGE_BODY_BYTES = 10 * 1024 * 1024;

export interface FaultyService {
  origin: string;
  /** The URL of `path` on this server (e.g. `/token`). */
  url(path: string): string;
  /** Every later request to `path` gets `fault` (until `heal`). */
  arm(path: string, fault: Fault): void;
  heal(path?: string): void;
  /** The most requests on `path` this server was answering at once. */
  maxConcurrent(path: string): number;
  /** Requests received on `path` since start (or the last `resetCounts`). */
  count(path: string): number;
  resetCounts(): void;
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

/** `routes` maps a path here to the upstream URL it forwards to when healthy. */
export async function startFaultyService(routes: Record<string, string>): Promise<FaultyService> {
  const armed = new Map<string, Fault>();
  const counts = new Map<string, number>();
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();

  async function forward(req: IncomingMessage, res: ServerResponse, target: string): Promise<void> {
    const body = await readBody(req);
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (value === undefined || ['host', 'content-length', 'connection'].includes(name)) continue;
      headers.set(name, Array.isArray(value) ? value.join(', ') : value);
    }
    const url = new URL(target);
    url.search = new URL(req.url ?? '/', 'http://x').search;
    const answer = await fetch(url, {
      method: req.method,
      headers,
      ...(body.length && req.method !== 'GET' ? { body: new Uint8Array(body) } : {}),
      redirect: 'manual',
    });
    const out: Record<string, string> = {};
    answer.headers.forEach((v, k) => {
      if (!['content-length', 'content-encoding', 'transfer-encoding', 'connection'].includes(k)) out[k] = v;
    });
    res.writeHead(answer.status, out);
    res.end(Buffer.from(await answer.arrayBuffer()));
  }

  function misbehave(fault: Fault, req: IncomingMessage, res: ServerResponse, path: string): void {
    if (fault === 'slow_answer') {
      // Answers well, but only after a while: for counting how many calls are open at once.
      const timer = setTimeout(() => json(res, 200, { ok: true }), 300);
      timers.add(timer);
      return;
    }
    if (fault === 'echo_secrets') {
      // Services that quote the request back in their error text: everything Hitch sent comes back.
      void readBody(req).then((body) =>
        json(res, 400, {
          error: 'invalid_grant',
          error_description: `rejected ${body.toString('utf8')} ${req.headers.authorization ?? ''}`,
          message: `${req.headers.authorization ?? ''} ${req.url}`,
        }),
      );
      return;
    }
    switch (fault) {
      case 'status_500':
        json(res, 500, { error: 'server_error' });
        return;
      case 'status_502_retry_after':
        res.writeHead(502, { 'content-type': 'text/plain', 'retry-after': '120' });
        return void res.end('Bad Gateway');
      case 'status_503_retry_after':
        json(res, 503, { error: 'temporarily_unavailable' }, { 'retry-after': '120' });
        return;
      case 'timeout':
        // Never answers; the socket is destroyed when the server closes.
        return;
      case 'reset':
        return void req.socket.destroy();
      case 'html':
        res.writeHead(200, { 'content-type': 'text/html' });
        return void res.end('<html><body><h1>Service maintenance</h1><script>alert(1)</script></body></html>');
      case 'no_access_token':
        json(res, 200, { token_type: 'Bearer', expires_in: 3600 });
        return;
      case 'huge_body': {
        res.writeHead(200, { 'content-type': 'application/json' });
        const chunk = Buffer.alloc(64 * 1024, 'a');
        res.write('{"access_token":"');
        let sent = 0;
        const pump = (): void => {
          while (sent < HUGE_BODY_BYTES) {
            sent += chunk.length;
            if (!res.write(chunk)) return void res.once('drain', pump);
          }
          res.end('","token_type":"Bearer"}');
        };
        res.on('error', () => undefined);
        pump();
        return;
      }
      case 'redirect_loop':
        res.writeHead(302, { location: path });
        return void res.end();
      case 'invalid_grant':
        json(res, 400, { error: 'invalid_grant', error_description: 'grant request is invalid' });
        return;
      case 'invalid_client':
        json(res, 401, { error: 'invalid_client', error_description: 'client authentication failed' });
        return;
      case 'slow_drip': {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('{');
        const timer = setInterval(() => {
          if (res.destroyed) {
            clearInterval(timer);
            timers.delete(timer);
            return;
          }
          res.write(' ');
        }, 200);
        timers.add(timer);
        return;
      }
    }
  }

  const open = new Map<string, number>();
  const peaks = new Map<string, number>();
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    counts.set(path, (counts.get(path) ?? 0) + 1);
    open.set(path, (open.get(path) ?? 0) + 1);
    peaks.set(path, Math.max(peaks.get(path) ?? 0, open.get(path)!));
    res.on('close', () => open.set(path, open.get(path)! - 1));
    const fault = armed.get(path);
    if (fault) {
      misbehave(fault, req, res, path);
      return;
    }
    const target = routes[path];
    if (!target) {
      json(res, 404, { error: 'not_found' });
      return;
    }
    forward(req, res, target).catch(() => {
      if (!res.headersSent) json(res, 502, { error: 'upstream_failed' });
      else res.destroy();
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    origin,
    url: (path) => `${origin}${path}`,
    arm: (path, fault) => void armed.set(path, fault),
    heal: (path) => (path ? void armed.delete(path) : armed.clear()),
    count: (path) => counts.get(path) ?? 0,
    maxConcurrent: (path) => peaks.get(path) ?? 0,
    resetCounts: () => {
      counts.clear();
      peaks.clear();
    },
    async close() {
      for (const t of timers) clearInterval(t);
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
