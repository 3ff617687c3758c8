import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import type { AgentCaller, AgentService } from './service.ts';

/** What Hitch says it is to an MCP client. */
const SERVER_INFO = { name: 'hitch', version: '1.0.0' };

/**
 * Answers one MCP request (Streamable HTTP, stateless: a fresh server and
 * transport per request, nothing kept in memory between them), as the given
 * agent. JSON answers, no event stream: no tool sends progress.
 */
export async function answerMcp(
  agents: AgentService,
  agent: AgentCaller,
  request: Request,
  body: unknown,
): Promise<Response> {
  // oxlint-disable-next-line typescript/no-deprecated -- the low-level Server takes tools' JSON Schemas as data (McpServer wants zod shapes), and module inputs are data
  const server = new Server(SERVER_INFO, { capabilities: { tools: {} } });
  server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: await agents.tools(agent) }));
  server.setRequestHandler(CallToolRequestSchema, async (call) => ({
    ...(await agents.call(agent, call.params.name, call.params.arguments ?? {})),
  }));
  const transport = new WebStandardStreamableHTTPServerTransport({
    sessionIdGenerator: undefined,
    enableJsonResponse: true,
  });
  await server.connect(transport);
  try {
    const answer = await transport.handleRequest(request, { parsedBody: body });
    // Read before the server closes: the JSON answer is complete once handled.
    return new Response(await answer.text(), { status: answer.status, headers: answer.headers });
  } finally {
    await server.close();
  }
}
