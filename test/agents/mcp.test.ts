import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shortId } from '../../src/agents/tools.ts';
import { maybe } from '../helpers/maybe.ts';
import { dialects } from '../helpers/store.ts';
import { startApiKeyService, type Peer } from '../scenarios/peers.ts';
import { APP_ID, openNotesWorld, type NotesWorld } from '../scenarios/world.ts';

const SERVICE_KEY = 'sk_agents_0123456789abcdef';
const textOf = (result: Record<string, unknown>) => (result.content as Array<{ text: string }>)[0]!.text;

/**
 * The MCP server, driven by the SDK's own Client over Streamable HTTP against a
 * listening Hitch: it lists exactly the tools the token may call, calls a
 * module through an OAuth 2.0 connection against a local service, and refuses
 * a call outside the token's grant before the service sees it; calls through
 * an API-key connection; keeps every call as an execution; and holds a write
 * of a token created with `approval: "writes"` until a team admin approves it
 * from a second request, then runs it once.
 */
describe.each(dialects)('the MCP server for agents on $name', ({ open }) => {
  let world: NotesWorld;
  let keyService: Peer;
  let keyConnectionId: string;
  let origin: string;
  let token: string;

  beforeAll(async () => {
    world = await openNotesWorld(open, 'Agent notes');
    keyService = await startApiKeyService(SERVICE_KEY);
    const keyConnection = await world.w.api('POST', '/api/v1/connections', {
      app: 'http',
      auth: 'apiKey',
      name: 'Items by key',
      parameters: { baseUrl: keyService.origin, key: SERVICE_KEY, placement: 'header', parameterName: 'X-Api-Key' },
    });
    expect(keyConnection.status, JSON.stringify(keyConnection.body)).toBe(201);
    keyConnectionId = keyConnection.body.connection.id;
    const created = await world.w.api('POST', '/api/v1/tokens', {
      name: 'agent',
      grants: [
        { connectionId: world.connectionId, method: 'GET', path: '/notes' },
        { connectionId: keyConnectionId, method: 'GET', path: '/items' },
      ],
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    token = created.body.token;
    origin = await world.w.hitch.app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await maybe(world)?.close();
    await maybe(keyService)?.close();
  });

  async function connected(as = token): Promise<Client> {
    const client = new Client({ name: 'test-agent', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${origin}/mcp`), {
        requestInit: { headers: { authorization: `Bearer ${as}` } },
      }),
    );
    return client;
  }

  it('lists exactly the tools the token may call, and calls one through the OAuth connection', async () => {
    const client = await connected();
    const { tools } = await client.listTools();
    const readNotes = `${APP_ID}_read-notes_${shortId(world.connectionId)}`;
    expect(tools.map((t) => t.name).sort()).toEqual([readNotes, 'request'].sort());
    for (const tool of tools) expect(tool.name).toMatch(/^[a-zA-Z0-9_-]{1,64}$/);
    expect(tools.find((t) => t.name === readNotes)!.description).toContain('My Test IdP connection');

    const before = world.resource.received.length;
    const result = await client.callTool({ name: readNotes, arguments: {} });
    expect(result.isError).toBe(false);
    const text = (result.content as Array<{ text: string }>)[0]!.text;
    expect(JSON.parse(text)).toMatchObject({ status: 200, data: [{ name: 'alpha' }, { name: 'beta' }] });
    const received = world.resource.received.slice(before);
    expect(received.map((r) => r.url)).toEqual(['/notes']);
    // The access token went to the service, and nowhere into the tool's result.
    const accessToken = received[0]!.headers.authorization!.replace(/^Bearer /, '');
    expect(text).not.toContain(accessToken);
    await client.close();
  });

  it('refuses a call outside the grant before it reaches the service', async () => {
    const client = await connected();
    const before = world.resource.received.length;
    const outside = await client.callTool({
      name: 'request',
      arguments: { connectionId: world.connectionId, method: 'GET', path: '/admin' },
    });
    expect(outside.isError).toBe(true);
    expect((outside.content as Array<{ text: string }>)[0]!.text).toBe(
      'API token "agent" may not call GET /admin on this connection: create a token whose grants include this endpoint, or call one it was granted.',
    );
    const write = await client.callTool({
      name: 'request',
      arguments: { connectionId: world.connectionId, method: 'POST', path: '/notes', body: { title: 'x' } },
    });
    expect(write.isError).toBe(true);
    const within = await client.callTool({
      name: 'request',
      arguments: { connectionId: world.connectionId, method: 'GET', path: '/notes' },
    });
    expect(within.isError).toBe(false);
    expect(world.resource.received.slice(before).map((r) => `${r.method} ${r.url}`)).toEqual(['GET /notes']);
    await client.close();
  });

  it('calls through an API-key connection, with the key placed by Hitch and absent from the result', async () => {
    const client = await connected();
    const before = keyService.received.length;
    const result = await client.callTool({
      name: 'request',
      arguments: { connectionId: keyConnectionId, method: 'GET', path: '/items' },
    });
    expect(result.isError).toBe(false);
    expect(JSON.parse(textOf(result))).toMatchObject({ status: 200, body: { items: [{ name: 'first item' }] } });
    const received = keyService.received.slice(before);
    expect(received.map((r) => r.url)).toEqual(['/items']);
    expect(received[0]!.headers['x-api-key']).toBe(SERVICE_KEY);
    expect(textOf(result)).not.toContain(SERVICE_KEY);
    await client.close();
  });

  it('keeps every tool call as an execution without a scenario, triggered by mcp, without secrets', async () => {
    const listed = await world.w.api('GET', '/api/v1/executions?trigger=mcp');
    expect(listed.status).toBe(200);
    const items = listed.body.items as Array<{ scenarioId: unknown; trigger: string; modules: unknown[] }>;
    expect(items.length).toBeGreaterThanOrEqual(3);
    for (const execution of items) {
      expect(execution.scenarioId).toBeNull();
      expect(execution.trigger).toBe('mcp');
    }
    expect(JSON.stringify(items)).not.toContain(SERVICE_KEY);
    const urls = items.map((e) => (e.modules[0] as { request?: { url: string } }).request?.url);
    expect(urls).toContain(`${keyService.origin}/items`);
    // A scenario's own runs say `run`, and name their scenario.
    const run = await world.w.api('POST', `/api/v1/scenarios/${world.scenarioId}/run`, {});
    const runs = (await world.w.api('GET', '/api/v1/executions?trigger=run')).body.items as Array<{ id: string }>;
    expect(runs).toContainEqual(
      expect.objectContaining({ id: run.body.error.executionId, scenarioId: world.scenarioId, trigger: 'run' }),
    );
  });

  it('holds a write for a person: approved from a second request it runs once, denied or expired it never runs', async () => {
    const created = await world.w.api('POST', '/api/v1/tokens', {
      name: 'careful agent',
      grants: [{ connectionId: world.connectionId, method: 'POST', path: '/notes' }],
      approval: 'writes',
    });
    expect(created.status).toBe(201);
    expect(created.body.restrictions.approval).toBe('writes');
    const client = await connected(created.body.token);
    expect((await client.listTools()).tools.map((t) => t.name)).toContain('get_approval');
    const writes = () => world.resource.received.filter((r) => r.method === 'POST').length;
    const before = writes();

    const asked = await client.callTool({
      name: 'request',
      arguments: { connectionId: world.connectionId, method: 'POST', path: '/notes', body: { title: 'Ship it' } },
    });
    expect(asked.isError).toBe(false);
    const { approvalId, status } = JSON.parse(textOf(asked)) as { approvalId: string; status: string };
    expect(status).toBe('pending');
    expect(writes()).toBe(before);
    const waiting = await client.callTool({ name: 'get_approval', arguments: { approvalId } });
    expect(JSON.parse(textOf(waiting))).toMatchObject({ id: approvalId, status: 'pending', result: null });

    // The team's admins are told, and the agent's own token cannot decide.
    const notifications = await world.w.api('GET', '/api/v1/notifications');
    expect(notifications.body.items).toContainEqual(
      expect.objectContaining({ kind: 'approval_requested', approvalId, connectionId: world.connectionId }),
    );
    const self = await fetch(`${origin}/api/v1/approvals/${approvalId}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${created.body.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ decision: 'approve' }),
    });
    expect(self.status).toBe(403);
    // Nor can its writes slip through the proxy.
    const proxied = await fetch(`${origin}/api/v1/connections/${world.connectionId}/proxy/notes`, {
      method: 'POST',
      headers: { authorization: `Bearer ${created.body.token}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(proxied.status).toBe(403);
    expect(((await proxied.json()) as { error: { code: string } }).error.code).toBe('approval_required');

    const approved = await world.w.api('POST', `/api/v1/approvals/${approvalId}`, { decision: 'approve' });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({
      status: 'approved',
      method: 'POST',
      path: '/notes',
      result: { isError: false },
    });
    expect(writes()).toBe(before + 1);
    const again = await world.w.api('POST', `/api/v1/approvals/${approvalId}`, { decision: 'approve' });
    expect(again.status).toBe(409);
    expect(writes()).toBe(before + 1);
    const outcome = JSON.parse(textOf(await client.callTool({ name: 'get_approval', arguments: { approvalId } })));
    expect(outcome).toMatchObject({ status: 'approved', result: { isError: false } });
    expect(JSON.parse(outcome.result.content[0].text)).toMatchObject({ status: 200 });

    const second = JSON.parse(
      textOf(
        await client.callTool({
          name: 'request',
          arguments: { connectionId: world.connectionId, method: 'POST', path: '/notes', body: { title: 'No' } },
        }),
      ),
    ) as { approvalId: string };
    const denied = await world.w.api('POST', `/api/v1/approvals/${second.approvalId}`, { decision: 'deny' });
    expect(denied.body).toMatchObject({ status: 'denied', result: null });

    const third = JSON.parse(
      textOf(
        await client.callTool({
          name: 'request',
          arguments: { connectionId: world.connectionId, method: 'POST', path: '/notes', body: { title: 'Late' } },
        }),
      ),
    ) as { approvalId: string };
    await world.w.store.db
      .updateTable('approvals')
      .set({ expires_at: 1 } as never)
      .where('id', '=', third.approvalId)
      .execute();
    const late = await world.w.api('POST', `/api/v1/approvals/${third.approvalId}`, { decision: 'approve' });
    expect(late.status).toBe(409);
    expect(late.body.error.message).toBe('This approval expired before anyone decided: the agent must ask again.');
    expect((await world.w.api('GET', '/api/v1/approvals?status=pending')).body.items).toEqual([]);
    expect(writes()).toBe(before + 1);
    await client.close();
  });

  it('answers GET with 405, accepts DELETE, and refuses another site’s Origin and a missing token', async () => {
    const headers = { authorization: `Bearer ${token}` };
    expect((await fetch(`${origin}/mcp`, { headers })).status).toBe(405);
    expect((await fetch(`${origin}/mcp`, { method: 'DELETE', headers })).status).toBe(204);
    const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' });
    const post = (extra: Record<string, string>) =>
      fetch(`${origin}/mcp`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...extra },
        body,
      });
    const evil = await post({ ...headers, origin: 'https://evil.example' });
    expect(evil.status).toBe(403);
    expect((await post({})).status).toBe(401);
  });
});
