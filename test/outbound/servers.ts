import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface TestServer {
  /** http://127.0.0.1:<port> */
  origin: string;
  port: number;
  received: Received[];
  close(): Promise<void>;
}

/** A real HTTP server on 127.0.0.1 and an ephemeral port, recording what reaches it. */
export async function startServer(
  handler: (req: http.IncomingMessage, res: http.ServerResponse, body: string) => void,
): Promise<TestServer> {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      handler(req, res, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    port,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Resolves every name to 127.0.0.1, standing in for DNS so public-looking names reach the test servers. */
export const resolveToLoopback = async (): Promise<string[]> => ['127.0.0.1'];

export const openPolicy = { allowPrivateNetwork: true, allowedHosts: [] };
export const defaultPolicy = { allowPrivateNetwork: false, allowedHosts: [] };
