import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shortId } from '../../src/agents/tools.ts';
import { maybe } from '../helpers/maybe.ts';
import { dialects } from '../helpers/store.ts';
import { APP_ID, openNotesWorld, type NotesWorld } from '../scenarios/world.ts';

/**
 * The MCP server, driven by the SDK's own Client over Streamable HTTP against a
 * listening Hitch: it lists exactly the tools the token may call, calls a
 * module through an OAuth 2.0 connection against a local service, and refuses
 * a call outside the token's grant before the service sees it.
 */
describe.each(dialects)('the MCP server for agents on $name', ({ open }) => {
  let world: NotesWorld;
  let origin: string;
  let token: string;

  beforeAll(async () => {
    world = await openNotesWorld(open, 'Agent notes');
    const created = await world.w.api('POST', '/api/v1/tokens', {
      name: 'agent',
      grants: [{ connectionId: world.connectionId, method: 'GET', path: '/notes' }],
    });
    token = created.body.token;
    origin = await world.w.hitch.app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => maybe(world)?.close());

  async function connected(): Promise<Client> {
    const client = new Client({ name: 'test-agent', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${origin}/mcp`), {
        requestInit: { headers: { authorization: `Bearer ${token}` } },
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
