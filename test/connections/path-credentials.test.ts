/**
 * A credential in the URL path (Telegram's `https://api.telegram.org/bot<token>/METHOD`,
 * https://core.telegram.org/bots/api#making-requests), against a local service written from that
 * page: it answers only under `/bot<token>/`, echoes the path it was called at in its errors (as a
 * careless service would), and can redirect on its own origin or to another host. The token reaches
 * the service on every hop that may carry it, and nothing Hitch keeps or says holds it: the
 * execution record, the events, the log lines (at trace), the answers of the API, the error
 * messages; a redirect to another origin does not carry it.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { secretForms } from '../../src/auth/redaction.ts';
import { createApiToken } from '../../src/accounts/api-tokens.ts';
import type { AppInput } from '../../src/catalog/schema.ts';
import { openCatalogWorld, runOneModule, type CatalogWorld } from '../catalog/world.ts';
import { EVIL_HOST, GOOD_HOST, startOrigin, type Origin } from '../helpers/origins.ts';
import { maybe } from '../helpers/maybe.ts';
import { dialects } from '../helpers/store.ts';
import { memoryLog } from './harness.ts';

const TOKEN = '7654321:AAH-leakTokenZ9y8x7w6v5u4t3';
const WRONG = '7654321:AAH-wrongTokenQ1w2e3r4t5y6';

interface BotService {
  origin: string;
  paths: string[];
  close(): Promise<void>;
}

/** The Bot API's shape: `/bot<token>/<method>`, answers `{ok, result}` or `{ok: false, error_code, description}`. */
async function startBotService(evil: string): Promise<BotService> {
  const paths: string[] = [];
  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
  };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = req.url ?? '/';
    paths.push(path);
    const match = /^\/bot([^/]+)\/([A-Za-z]+)/.exec(path);
    if (!match || decodeURIComponent(match[1]!) !== TOKEN) {
      send(res, 401, { ok: false, error_code: 401, description: `Unauthorized: ${path}` });
      return;
    }
    switch (match[2]) {
      case 'getMe':
        send(res, 200, { ok: true, result: { id: 7654321, is_bot: true, username: 'hitch_test_bot' } });
        return;
      case 'redirectHome':
        send(res, 302, {}, { location: `/bot${TOKEN}/getMe` });
        return;
      case 'redirectAway':
        send(res, 302, {}, { location: `${evil}/landing` });
        return;
      case 'leakAway':
        send(res, 302, {}, { location: `${evil}/landing?t=${encodeURIComponent(TOKEN)}` });
        return;
      default:
        send(res, 404, { ok: false, error_code: 404, description: `Not Found: method ${path} does not exist` });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, GOOD_HOST, resolve));
  return {
    origin: `http://${GOOD_HOST}:${(server.address() as AddressInfo).port}`,
    paths,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function botApp(origin: string): AppInput {
  return {
    id: 'botish',
    name: 'Botish',
    docsUrl: 'https://core.telegram.org/bots/api',
    fullAccess: { docsUrl: 'https://core.telegram.org/bots/api' },
    modules: [{ id: 'unknown-method', name: 'Call a method that does not exist', request: { url: '/noSuchMethod' } }],
    connections: [
      {
        type: 'apiKey',
        keys: [{ parameter: 'token', in: 'path', name: '/bot{{token}}' }],
        baseUrl: origin,
        verify: { url: '/getMe', accountId: ['result.id'], accountLabel: ['result.username'] },
        parameters: [{ name: 'token', label: 'Bot token', type: 'password', required: true, secret: true }],
      },
    ],
  };
}

describe.each(dialects)('a token in the URL path on $name', ({ open }) => {
  let evil: Origin;
  let bot: BotService;
  let w: CatalogWorld;
  const { log, lines } = memoryLog('trace');
  const said: string[] = [];
  let connectionId: string;
  let bearer: Record<string, string>;

  async function call(method: 'GET' | 'POST', url: string, payload?: unknown, headers = w.headers) {
    const res = await w.app.inject({ method, url, headers, ...(payload ? { payload: payload } : {}) });
    said.push(res.body, JSON.stringify(res.headers));
    return res;
  }

  async function runModule(module: string, inputs: Record<string, unknown> = {}) {
    const execution = await runOneModule(w, { app: 'botish', module, connectionId, inputs });
    said.push(JSON.stringify(execution));
    return execution;
  }

  beforeAll(async () => {
    evil = await startOrigin(EVIL_HOST);
    bot = await startBotService(evil.origin);
    w = await openCatalogWorld({ apps: [botApp(bot.origin)], log, open });
    const created = await call('POST', '/api/v1/connections', { app: 'botish', parameters: { token: TOKEN } });
    expect(created.statusCode, created.body).toBe(201);
    connectionId = created.json().connection.id;
    bearer = { authorization: `Bearer ${(await createApiToken(w.store, w.userId, 'bot')).token}` };
  });
  afterAll(async () => {
    await maybe(w)?.close();
    await maybe(bot)?.close();
    await maybe(evil)?.close();
  });

  it('verifies the token by calling below /bot<token>/ and names the bot', async () => {
    const shown = (await call('GET', `/api/v1/connections/${connectionId}`)).json();
    expect(shown).toMatchObject({ status: 'active', account: { id: '7654321', label: 'hitch_test_bot' } });
    expect(bot.paths[0]).toBe(`/bot${TOKEN}/getMe`);
  });

  it('places it on Make an API call and follows a redirect on its own origin with it, once', async () => {
    const execution = await runModule('make-api-call', { url: '/redirectHome' });
    expect(execution.status).toBe('success');
    expect(execution.modules[0].output.body).toMatchObject({ ok: true, result: { username: 'hitch_test_bot' } });
    expect(bot.paths.slice(-2)).toEqual([`/bot${TOKEN}/redirectHome`, `/bot${TOKEN}/getMe`]);
    expect(execution.modules[0].request.url).toBe(`${bot.origin}/getMe`);
  });

  it('does not carry it to another origin a redirect points at, and refuses an address that carries it', async () => {
    evil.reset();
    const away = await runModule('make-api-call', { url: '/redirectAway' });
    expect(away.status).toBe('success');
    expect(evil.received.map((r) => r.url)).toEqual(['/landing']);
    const leak = await runModule('make-api-call', { url: '/leakAway' });
    expect(leak.status).toBe('error');
    expect(leak.modules[0].error.code).toBe('upstream_bad_response');
    expect(evil.received).toHaveLength(1);
    expect(evil.everything()).not.toContain('leakToken');
  });

  it('places it through the proxy, and the service’s echo of it comes back to the caller only', async () => {
    const proxied = await call('GET', `/api/v1/connections/${connectionId}/proxy/getMe`, undefined, bearer);
    expect(proxied.statusCode).toBe(200);
    expect(bot.paths.at(-1)).toBe(`/bot${TOKEN}/getMe`);
    const echoed = await w.app.inject({
      method: 'GET',
      url: `/api/v1/connections/${connectionId}/proxy/nope`,
      headers: bearer,
    });
    // The service's own answer, passed through unchanged to the caller holding the API token.
    expect(echoed.json().description).toContain(TOKEN);
  });

  it('keeps the service’s echo of the path out of the execution record', async () => {
    const execution = await runModule('unknown-method');
    expect(execution.status).toBe('error');
    expect(execution.modules[0].output.status).toBe(404);
    expect(JSON.stringify(execution)).toContain('[redacted]');
  });

  it('keeps a wrong token the service echoes out of the refusal', async () => {
    const refused = await call('POST', '/api/v1/connections', { app: 'botish', parameters: { token: WRONG } });
    expect(refused.statusCode).toBeGreaterThanOrEqual(400);
    expect(refused.json().error.message).not.toContain('wrongToken');
  });

  it('never holds the token in answers, events, executions or log lines', async () => {
    const events = JSON.stringify(await w.store.db.selectFrom('events').selectAll().execute());
    const executions = JSON.stringify(await w.store.db.selectFrom('executions').selectAll().execute());
    const logged = lines.join('\n');
    expect(logged).toContain('outbound call');
    for (const secret of [TOKEN, WRONG]) {
      for (const form of secretForms(secret)) {
        expect(said.join('\n'), 'answers').not.toContain(form);
        expect(events, 'events').not.toContain(form);
        expect(executions, 'executions').not.toContain(form);
        expect(logged, 'logs').not.toContain(form);
      }
    }
    // What stands in the log line's place: the path, with the token masked.
    expect(logged).toContain('/bot[redacted]/getMe');
  });
});

describe('the schema of a key in the path', () => {
  it('refuses a path that does not end in its parameter', async () => {
    const { appSchema } = await import('../../src/catalog/schema.ts');
    const app = botApp('https://api.telegram.example');
    const kind = app.connections[0]! as { keys: Array<Record<string, unknown>> };
    kind.keys[0]!.name = '/bot{{token}}/x';
    const result = appSchema.safeParse(app);
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((i) => i.message)).toEqual([
      'a key in the path is written as the path before it, ending in {{token}}, such as /bot{{token}}',
    ]);
  });
});
