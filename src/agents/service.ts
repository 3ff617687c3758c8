import { tokenGrant, tokenPatternsOn, type TokenRestriction } from '../accounts/token-restrictions.ts';
import { Redactor } from '../auth/redaction.ts';
import type { Caller } from '../connections/change-rights.ts';
import type { ConnectionClient } from '../connections/connection-client.ts';
import type { ConnectionEvents } from '../connections/events.ts';
import { ANY_ENDPOINT } from '../connections/grants.ts';
import type { ConnectionsService } from '../connections/service.ts';
import { HitchError, invalidField, isHitchError } from '../errors.ts';
import type { Outbound } from '../outbound/types.ts';
import { httpInputs } from '../scenarios/modules/http-exchange.ts';
import { waitFor } from '../scenarios/modules/rate-limit.ts';
import { sendThroughConnection } from '../scenarios/modules/http.ts';
import type { ModuleRegistry } from '../scenarios/modules/registry.ts';
import type { ModuleOutcome, ModuleRunContext } from '../scenarios/modules/types.ts';
import { moduleTools, REQUEST_TOOL, type AgentConnection, type ModuleTool } from './tools.ts';

/** An agent's connections are read in pages of this many, up to `AGENT_CONNECTIONS_MAX`. */
const PAGE = 100;
const AGENT_CONNECTIONS_MAX = 1_000;

/** Who the agent acts for: the API token it presented. */
export interface AgentCaller {
  caller: Caller;
  tokenName: string;
  restriction: TokenRestriction | null;
}

/** What a tool call answers: the module's output (redacted) as text, flagged when it failed. */
export interface ToolResult {
  content: Array<{ type: 'text'; text: string }>;
  isError: boolean;
}

/**
 * The MCP server's tools over connections, bounded by the token's grants: one
 * tool per catalog module on each connection the token may use, and `request`.
 * Every call goes through ConnectionClient with the token's grant, so a call
 * outside it is refused before any credential is placed, as on the proxy.
 */
export class AgentService {
  constructor(
    private readonly deps: {
      connections: ConnectionsService;
      client: ConnectionClient;
      outbound: Outbound;
      registry: ModuleRegistry;
      events: ConnectionEvents;
    },
  ) {}

  /** The active connections the token may use, each with the patterns it may call there. */
  async connectionsOf(agent: AgentCaller): Promise<AgentConnection[]> {
    const out: AgentConnection[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.deps.connections.list(agent.caller, {
        teamIds: agent.caller.teamIds,
        status: 'active',
        limit: PAGE,
        ...(cursor ? { cursor } : {}),
      });
      for (const c of page.items) {
        const patterns = agent.restriction ? tokenPatternsOn(agent.restriction, c.id, c.teamId) : [ANY_ENDPOINT];
        if (patterns) out.push({ id: c.id, teamId: c.teamId, app: c.app, name: c.name, patterns });
      }
      cursor = page.nextCursor ?? undefined;
    } while (cursor && out.length < AGENT_CONNECTIONS_MAX);
    return out;
  }

  async tools(agent: AgentCaller): Promise<ModuleTool[]> {
    return moduleTools(await this.connectionsOf(agent), this.deps.registry);
  }

  /** Runs one tool; a refusal or failure is a result the agent reads (`isError`), never a secret. */
  async call(agent: AgentCaller, name: string, args: Record<string, unknown>): Promise<ToolResult> {
    const redactor = new Redactor();
    try {
      const connections = await this.connectionsOf(agent);
      let connection: AgentConnection | undefined;
      let run: (context: ModuleRunContext) => Promise<ModuleOutcome>;
      let inputs: Record<string, unknown>;
      if (name === REQUEST_TOOL.name) {
        connection = connections.find((c) => c.id === args.connectionId);
        if (!connection)
          throw invalidField(
            'connectionId',
            'This token may use no connection with this id: list the tools to see its connections.',
          );
        inputs = { url: args.path, method: args.method, query: args.query, body: args.body };
        run = (context) => sendThroughConnection(context, httpInputs(context.inputs));
      } else {
        const tool = moduleTools(connections, this.deps.registry).find((t) => t.name === name);
        if (!tool)
          throw new HitchError('not_found', { message: `There is no tool "${name}" for this token: list the tools.` });
        connection = tool.connection;
        // As a scenario's run does: the module's defaults, then what the agent gave.
        inputs = {
          ...Object.fromEntries(
            tool.spec.inputs.filter((i) => i.default !== undefined).map((i) => [i.name, i.default]),
          ),
          ...args,
        };
        run = (context) => tool.spec.run(context);
      }
      const outcome = await run(this.context(agent, connection, inputs, redactor));
      await this.deps.events.record(
        connection.teamId,
        connection.id,
        'connection.agent_call',
        { userId: agent.caller.userId },
        `An agent with API token "${agent.tokenName}" called the tool ${name}${outcome.request ? ` (${outcome.request.method}, answered ${outcome.request.status})` : ''}.`,
      );
      const result = outcome.error ? { error: outcome.error.message, output: outcome.output } : outcome.output;
      return { content: [{ type: 'text', text: JSON.stringify(redactor.value(result)) }], isError: !!outcome.error };
    } catch (error) {
      if (!isHitchError(error)) throw error;
      return { content: [{ type: 'text', text: redactor.text(error.message) }], isError: true };
    }
  }

  private context(
    agent: AgentCaller,
    connection: AgentConnection,
    inputs: Record<string, unknown>,
    redactor: Redactor,
  ): ModuleRunContext {
    const grant = tokenGrant(connection.patterns, { name: agent.tokenName, userId: agent.caller.userId });
    return {
      teamId: connection.teamId,
      inputs,
      connectionId: connection.id,
      grant,
      key: undefined,
      connections: this.deps.client,
      outbound: this.deps.outbound,
      credentialsUsed: (placed) => redactor.addCredentials(placed),
      sleep: waitFor,
    };
  }
}
