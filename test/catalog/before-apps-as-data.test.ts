import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/catalog/catalog.ts';
import { loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/log.ts';
import { startHitch, type RunningHitch } from '../../src/server.ts';
import { FIXTURE } from '../fixtures/before-apps-as-data/fixture.ts';
import { freePort } from '../process/spawn.ts';

/**
 * A database made before the built-in apps became data files (commit e91b29b,
 * see make-fixture.mts), opened with today's code: migrations run, the saved
 * connections and scenarios still name apps and modules that exist, and the
 * scenarios run against a local service that checks what it receives.
 */
interface Received {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** The service the fixture's HTTP and Axelor connections are moved to: records each request and answers JSON. */
async function startService(): Promise<{ origin: string; received: Received[]; close(): Promise<void> }> {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      received.push({ method: req.method!, url: req.url!, headers: req.headers, body });
      const answer = req.url === '/api/orders' ? { orders: [{ id: 'A-1' }] } : { status: 0, data: [{ id: 7 }] };
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe('a database made before the apps became data files', () => {
  let dataDir: string;
  let hitch: RunningHitch;
  let app: FastifyInstance;
  let service: Awaited<ReturnType<typeof startService>>;
  let headers: Record<string, string>;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hitch-before-data-'));
    fs.copyFileSync(
      path.join(import.meta.dirname, '../fixtures/before-apps-as-data/hitch.sqlite'),
      path.join(dataDir, 'hitch.sqlite'),
    );
    service = await startService();
    hitch = await startHitch(
      loadConfig({
        DATA_DIR: dataDir,
        PORT: String(await freePort()),
        PUBLIC_URL: FIXTURE.publicUrl,
        HITCH_MASTER_KEY: FIXTURE.masterKey,
        HITCH_ROLE: 'web',
        HITCH_ALLOW_PRIVATE_NETWORK: 'true',
      }),
      { log: createLogger('silent'), out: new (await import('node:stream')).PassThrough() },
    );
    app = hitch.app!;
    const login = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { origin: FIXTURE.publicUrl },
      payload: { email: FIXTURE.email, password: FIXTURE.password },
    });
    expect(login.statusCode).toBe(200);
    headers = { cookie: login.cookies.map((c) => `${c.name}=${c.value}`).join('; '), origin: FIXTURE.publicUrl };
  });
  afterAll(async () => {
    await hitch.close();
    await service.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  interface Scenario {
    id: string;
    name: string;
    modules: Array<{ app: string; module: string; connectionId?: string }>;
  }
  const api = async (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) => {
    const res = await app.inject({ method, url, headers, ...(payload ? { payload } : {}) });
    return { status: res.statusCode, body: res.json<Record<string, unknown>>() };
  };
  const scenarios = async () => (await api('GET', '/api/v1/scenarios')).body.items as Scenario[];
  const scenarioNamed = async (name: string) => (await scenarios()).find((s) => s.name === name)!;

  it('keeps its connections, active, of apps the catalog still has', async () => {
    const { status, body } = await api('GET', '/api/v1/connections');
    expect(status).toBe(200);
    const items = body.items as Array<{ app: string; status: string }>;
    expect(items.map((c) => [c.app, c.status]).sort()).toEqual([
      ['axelor', 'active'],
      ['http', 'active'],
      ['jira', 'active'],
      ['openai', 'active'],
    ]);
    for (const { app: id } of items) expect((await api('GET', `/api/v1/apps/${id}`)).status).toBe(200);
  });

  it('lists its scenarios, and every module they use resolves, as GET /apps/:id and GET /modules list it', async () => {
    const saved = await scenarios();
    expect(saved.map((s) => s.name).sort()).toEqual(['ERP partners', 'Forward orders', 'Jira triage', 'OpenAI models']);
    for (const scenario of saved) {
      for (const used of scenario.modules) {
        const listed = (await api('GET', `/api/v1/modules?app=${used.app}`)).body.items as Array<{ id: string }>;
        expect(
          listed.map((m) => m.id),
          `${scenario.name}: ${used.app}.${used.module}`,
        ).toContain(used.module);
        const described = (await api('GET', `/api/v1/apps/${used.app}`)).body.modules as Array<{ id: string }>;
        expect(described.map((m) => m.id)).toEqual(listed.map((m) => m.id));
      }
      const permissions = await api('GET', `/api/v1/scenarios/${scenario.id}/permissions`);
      expect(permissions.status, scenario.name).toBe(200);
    }
    const jira = await scenarioNamed('Jira triage');
    const permissions = (await api('GET', `/api/v1/scenarios/${jira.id}/permissions`)).body;
    expect(permissions).toMatchObject({
      ok: true,
      connections: [expect.objectContaining({ app: 'jira', missing: [] })],
    });
    expect((permissions.connections as Array<{ required: string[] }>)[0]!.required).toContain('read:jira-work');
  });

  it('runs its HTTP scenario: the connection’s key and the mapped output reach the service', async () => {
    const scenario = await scenarioNamed('Forward orders');
    const moved = await api('PATCH', `/api/v1/connections/${scenario.modules[0]!.connectionId}`, {
      parameters: { baseUrl: `${service.origin}/api`, key: FIXTURE.secrets.http },
    });
    expect(moved.status).toBe(200);
    service.received.length = 0;
    const run = await api('POST', `/api/v1/scenarios/${scenario.id}/run`, {
      inputs: { hook: `${service.origin}/hook` },
    });
    expect(run.status).toBe(200);
    expect(run.body.execution).toMatchObject({ status: 'success' });
    expect(service.received.map((r) => [r.method, r.url])).toEqual([
      ['GET', '/api/orders'],
      ['POST', '/hook'],
    ]);
    expect(service.received[0]!.headers['x-api-key']).toBe(FIXTURE.secrets.http);
    expect(service.received[1]!.body).toBe('A-1');
    expect(service.received[1]!.headers['x-api-key']).toBeUndefined();
    expect(JSON.stringify(run.body)).not.toContain(FIXTURE.secrets.http);
  });

  it('runs its Axelor scenario: a catalog module from the data files, with the stored Basic credentials', async () => {
    const scenario = await scenarioNamed('ERP partners');
    const moved = await api('PATCH', `/api/v1/connections/${scenario.modules[0]!.connectionId}`, {
      parameters: { instanceUrl: `${service.origin}/axelor`, password: FIXTURE.secrets.axelor },
    });
    expect(moved.status).toBe(200);
    service.received.length = 0;
    const run = await api('POST', `/api/v1/scenarios/${scenario.id}/run`);
    expect(run.body.execution).toMatchObject({ status: 'success' });
    const [search] = service.received;
    expect(search).toMatchObject({ method: 'POST', url: '/axelor/ws/rest/com.axelor.apps.base.db.Partner/search' });
    expect(search!.headers.authorization).toBe(
      `Basic ${Buffer.from(`admin:${FIXTURE.secrets.axelor}`).toString('base64')}`,
    );
    expect(JSON.parse(search!.body)).toMatchObject({ offset: 0, limit: 5 });
    expect(JSON.stringify(run.body)).not.toContain(FIXTURE.secrets.axelor);
  });

  it('loads a HITCH_APPS_DIR file written for that version unchanged: it still replaces the built-in app', () => {
    const catalog = loadCatalog({
      appsDir: path.join(import.meta.dirname, '../fixtures/before-apps-as-data/apps-dir'),
      env: {},
    });
    const gitlab = catalog.require('gitlab');
    expect(gitlab.connections[0]).toMatchObject({
      tokenUrl: 'https://gitlab.fixture.example/oauth/token',
      baseUrl: 'https://gitlab.fixture.example/api/v4',
    });
    expect(gitlab.modules.map((m) => m.id)).toEqual(
      loadCatalog({ appsDir: null, env: {} })
        .require('gitlab')
        .modules.map((m) => m.id),
    );
  });
});
