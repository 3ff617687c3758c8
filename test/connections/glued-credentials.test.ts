/**
 * Credentials shaped as some services want them, against local services written from the
 * documents that define them, not from Hitch's client:
 * - HTTP Basic with one half empty (RFC 7617 §2: user-id and password may each be empty; the
 *   server splits the decoded value at the first colon): the API key as user name and no password
 *   (Chargebee, EasyPost, Recurly, Close), or no user name and the key as password (lemlist);
 * - a key glued to its prefix, `Authorization: Token token=<key>` (Freshsales, Teamtailor).
 * Each service accepts only the exact form, so a space too many or a missing colon fails.
 */
import fs from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/catalog/catalog.ts';
import type { AppInput } from '../../src/catalog/schema.ts';
import { openCatalogWorld, runOneModule, type CatalogWorld } from '../catalog/world.ts';
import { maybe } from '../helpers/maybe.ts';
import { dialects } from '../helpers/store.ts';

const KEY = 'live_k3y_0123456789abcdef';

interface Service {
  origin: string;
  seen: string[];
  close(): Promise<void>;
}

/** RFC 7617 §2 decoding, and the `Token token=` form, each answering who it took the caller for. */
async function startService(): Promise<Service> {
  const seen: string[] = [];
  const send = (res: ServerResponse, status: number, body: unknown) =>
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const authorization = req.headers.authorization ?? '';
    seen.push(authorization);
    const basic = /^Basic ([A-Za-z0-9+/=]+)$/.exec(authorization);
    const decoded = basic ? Buffer.from(basic[1]!, 'base64').toString('utf8') : undefined;
    const colon = decoded?.indexOf(':') ?? -1;
    const [user, password] = colon < 0 ? [undefined, undefined] : [decoded!.slice(0, colon), decoded!.slice(colon + 1)];
    if (req.url?.startsWith('/user-only/') && user === KEY && password === '')
      return send(res, 200, { account: 'user-only' });
    if (req.url?.startsWith('/password-only/') && user === '' && password === KEY)
      return send(res, 200, { account: 'password-only' });
    if (req.url?.startsWith('/token/') && authorization === `Token token=${KEY}`)
      return send(res, 200, { account: 'token' });
    send(res, 401, { error: 'who are you' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const keyParameter = { name: 'key', label: 'API key', type: 'password', required: true, secret: true } as const;
const module = { id: 'me', name: 'Who am I', request: { url: '/me' } };
const verify = { url: '/me', accountId: ['account'], accountLabel: ['account'] };

function apps(origin: string): AppInput[] {
  const app = (id: string, connection: AppInput['connections'][number]): AppInput => ({
    id,
    name: id,
    docsUrl: 'https://www.rfc-editor.org/rfc/rfc7617#section-2',
    fullAccess: { docsUrl: 'https://www.rfc-editor.org/rfc/rfc7617#section-2' },
    modules: [module],
    connections: [connection],
  });
  return [
    app('user-only', {
      type: 'basic',
      usernameParameter: 'key',
      passwordParameter: null,
      baseUrl: `${origin}/user-only`,
      verify,
      parameters: [keyParameter],
    }),
    app('password-only', {
      type: 'basic',
      usernameParameter: null,
      passwordParameter: 'key',
      baseUrl: `${origin}/password-only`,
      verify,
      parameters: [keyParameter],
    }),
    app('glued', {
      type: 'apiKey',
      keys: [{ parameter: 'key', in: 'header', name: 'Authorization', prefix: 'Token token=', prefixSeparator: '' }],
      baseUrl: `${origin}/token`,
      verify,
      parameters: [keyParameter],
    }),
  ];
}

describe.each(dialects)('credentials with an empty half or a glued prefix on $name', ({ open }) => {
  let service: Service;
  let w: CatalogWorld;

  beforeAll(async () => {
    service = await startService();
    w = await openCatalogWorld({ apps: apps(service.origin), open });
  });
  afterAll(async () => {
    await maybe(w)?.close();
    await maybe(service)?.close();
  });

  it.each(['user-only', 'password-only', 'glued'])(
    '%s: verifies, names the account, and runs a module',
    async (app) => {
      const created = await w.app.inject({
        method: 'POST',
        url: '/api/v1/connections',
        headers: w.headers,
        payload: { app, parameters: { key: KEY } },
      });
      expect(created.statusCode, created.body).toBe(201);
      const { connection } = created.json();
      expect(connection).toMatchObject({ status: 'active', account: { id: app === 'glued' ? 'token' : app } });
      const execution = await runOneModule(w, { app, module: 'me', connectionId: connection.id, inputs: {} });
      expect(execution.status).toBe('success');
      expect(JSON.stringify(execution)).not.toContain(KEY);
    },
  );

  it('sends exactly the forms the services defined', () => {
    const basic = (value: string) => `Basic ${Buffer.from(value).toString('base64')}`;
    expect(new Set(service.seen)).toEqual(new Set([basic(`${KEY}:`), basic(`:${KEY}`), `Token token=${KEY}`]));
  });
});

describe('the schema of these fields', () => {
  it('refuses a Basic login with neither half', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hitch-apps-'));
    const [userOnly] = apps('https://example.com');
    const broken = {
      ...userOnly,
      id: 'neither',
      connections: [{ ...userOnly!.connections[0], usernameParameter: null, passwordParameter: null }],
    };
    fs.writeFileSync(path.join(dir, 'neither.json'), JSON.stringify(broken));
    expect(() => loadCatalog({ appsDir: dir, env: {} })).toThrow(
      /connections\.0\.passwordParameter: a Basic login needs a user name or a password/,
    );
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
