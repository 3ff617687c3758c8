import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { APP_ID, testApp } from '../connections/harness.ts';
import type { Json } from '../helpers/json.ts';
import { TEST_PG_URL } from '../helpers/store.ts';
import { startOAuthServer, type OAuthServer } from '../peers/oauth-server.ts';
import { cleanEnv, freePort, run, SERVER, type Spawned } from '../process/spawn.ts';

/** A database of its own on the test PostgreSQL server, dropped afterwards. */
export async function freshDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `hitch_scale_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = async (statement: string) => {
    const client = new pg.Client({ connectionString: TEST_PG_URL });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };
  await admin(`create database ${name}`);
  const url = new URL(TEST_PG_URL);
  url.pathname = `/${name}`;
  return { url: url.href, drop: () => admin(`drop database if exists ${name} with (force)`) };
}

export interface Instance {
  port: number;
  process: Spawned;
}

/** Starts `count` Hitch server processes at the same moment, each on its own port, same environment. */
export async function startInstances(count: number, env: Record<string, string>): Promise<Instance[]> {
  const ports = await Promise.all(Array.from({ length: count }, () => freePort()));
  const instances = ports.map((port) => ({ port, process: run(SERVER, [], cleanEnv({ ...env, PORT: String(port) })) }));
  try {
    await Promise.all(instances.map((i) => i.process.waitFor('Hitch is listening on')));
  } catch (error) {
    for (const i of instances) if (i.process.child.exitCode === null) i.process.child.kill('SIGKILL');
    // The JSON log holds the stack of a surprise; show it with the one-line reason.
    throw new Error(
      `${(error as Error).message}\n${instances.map((i) => i.process.stdout().slice(-3000)).join('\n')}`,
      {
        cause: error,
      },
    );
  }
  return instances;
}

export async function stopInstances(instances: Instance[]): Promise<void> {
  await Promise.all(
    instances.map(async (i) => {
      if (i.process.child.exitCode !== null || i.process.child.signalCode !== null) return;
      i.process.child.kill('SIGTERM');
      await i.process.exited;
    }),
  );
}

export function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'hitch-scale-'));
}

export interface Balancer {
  url: string;
  port: number;
  /** Requests each backend answered, by port. */
  served: Map<number, number>;
  setBackends(ports: number[]): void;
  close(): Promise<void>;
}

/**
 * A round-robin load balancer, as small as one can be: no stickiness, and a
 * backend that refuses or drops a connection is taken out of the rotation and
 * the request tried on the next one (requests that never got an answer only).
 */
export async function startBalancer(port?: number): Promise<Balancer> {
  let backends: number[] = [];
  const down = new Set<number>();
  const served = new Map<number, number>();
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  let next = 0;

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const attempt = (tries: number) => {
        const live = backends.filter((b) => !down.has(b));
        if (live.length === 0 || tries > backends.length) {
          res.writeHead(502).end('no backend');
          return;
        }
        const backend = live[next++ % live.length]!;
        let failed = false;
        const fail = () => {
          if (failed) return;
          failed = true;
          down.add(backend);
          // Like a real balancer, only a request the backend cannot have acted on twice is retried.
          if (req.method === 'GET' || req.method === 'HEAD' || !answered) attempt(tries + 1);
          else res.writeHead(502).end('backend failed');
        };
        let answered = false;
        const upstream = http.request(
          { host: '127.0.0.1', port: backend, method: req.method, path: req.url, headers: req.headers, agent },
          (answer) => {
            answered = true;
            // Buffered whole, so a backend dying mid-answer can still be retried elsewhere.
            const parts: Buffer[] = [];
            answer.on('data', (c: Buffer) => parts.push(c));
            answer.on('error', fail);
            answer.on('aborted', fail);
            answer.on('end', () => {
              if (failed) return;
              served.set(backend, (served.get(backend) ?? 0) + 1);
              res.writeHead(answer.statusCode ?? 502, answer.headers);
              res.end(Buffer.concat(parts));
            });
          },
        );
        upstream.on('error', fail);
        upstream.end(body);
      };
      attempt(0);
    });
  });
  await new Promise<void>((resolve) => server.listen(port ?? 0, '127.0.0.1', resolve));
  const actualPort = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${actualPort}`,
    port: actualPort,
    served,
    setBackends(ports) {
      backends = [...ports];
      down.clear();
    },
    close: () =>
      new Promise<void>((resolve) => {
        agent.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A client of Hitch through the balancer, with a signed-in session. */
export class Browser {
  cookie = '';
  /** An API token, for the proxy (which refuses session cookies). */
  token = '';
  constructor(readonly base: string) {}

  async request(
    method: string,
    pathAndQuery: string,
    body?: unknown,
  ): Promise<{ status: number; json: Json; text: string; headers: Headers }> {
    const response = await fetch(`${this.base}${pathAndQuery}`, {
      method,
      redirect: 'manual',
      // Proxied calls are a program's, with its API token and no Origin (the proxy passes headers on to the service).
      headers: {
        ...(this.token && pathAndQuery.includes('/proxy')
          ? { authorization: `Bearer ${this.token}` }
          : { origin: this.base, ...(this.cookie ? { cookie: this.cookie } : {}) }),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await response.text();
    let json: Json = null;
    try {
      json = JSON.parse(text);
    } catch {
      // pages are not JSON
    }
    return { status: response.status, json, text, headers: response.headers };
  }

  async signIn(email: string, password: string): Promise<void> {
    const response = await fetch(`${this.base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { origin: this.base, 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });
    if (response.status !== 200) throw new Error(`sign-in failed: ${response.status} ${await response.text()}`);
    const setCookie = response.headers.getSetCookie().find((c) => c.startsWith('hitch_session='));
    if (!setCookie) throw new Error('no session cookie');
    this.cookie = setCookie.split(';', 1)[0]!;
    const created = await this.request('POST', '/api/v1/tokens', { name: 'scale test' });
    if (created.status !== 201) throw new Error(`token creation failed: ${created.status} ${created.text}`);
    this.token = created.json.token as string;
  }
}

export function masterKey(): string {
  return randomBytes(32).toString('base64');
}

export const CLUSTER_ADMIN = { email: 'ops@example.com', password: 'scale test password' };

export interface Cluster {
  db: Awaited<ReturnType<typeof freshDatabase>>;
  server: OAuthServer;
  balancer: Balancer;
  instances: Instance[];
  browser: Browser;
  close(): Promise<void>;
}

/**
 * Three Hitch processes started together on one fresh PostgreSQL database,
 * behind a round-robin balancer that PUBLIC_URL points at, with oidc-provider
 * (refresh-token rotation) as the service and a test app pointed at it.
 */
export async function startCluster(options: { tokenTtlSeconds: number; sweepSeconds: number }): Promise<Cluster> {
  const db = await freshDatabase();
  const balancer = await startBalancer();
  const server = await startOAuthServer({
    redirectUris: [`${balancer.url}/oauth/callback`],
    accessTokenTtlSeconds: options.tokenTtlSeconds,
  });
  const dataDir = tempDir();
  fs.writeFileSync(path.join(dataDir, `${APP_ID}.json`), JSON.stringify(testApp(server)));
  const client = server.client('client_secret_post');
  const instances = await startInstances(3, {
    DATABASE_URL: db.url,
    PUBLIC_URL: balancer.url,
    DATA_DIR: dataDir,
    HITCH_MASTER_KEY: masterKey(),
    HITCH_ADMIN_EMAIL: CLUSTER_ADMIN.email,
    HITCH_ADMIN_PASSWORD: CLUSTER_ADMIN.password,
    HITCH_APPS_DIR: dataDir,
    HITCH_ALLOW_PRIVATE_NETWORK: 'true',
    HITCH_APP_TESTIDP_CLIENT_ID: client.clientId,
    HITCH_APP_TESTIDP_CLIENT_SECRET: client.clientSecret,
    HITCH_REFRESH_SWEEP_SECONDS: String(options.sweepSeconds),
    LOG_LEVEL: 'warn',
  });
  balancer.setBackends(instances.map((i) => i.port));
  return {
    db,
    server,
    balancer,
    instances,
    browser: new Browser(balancer.url),
    async close() {
      await stopInstances(instances);
      await balancer.close();
      await server.close();
      await db.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
