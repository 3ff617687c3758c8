import {
  callerThrough,
  needsApproval,
  tokenGrant,
  tokenPatternsOn,
  type TokenRestriction,
} from '../accounts/token-restrictions.ts';
import { Redactor } from '../auth/redaction.ts';
import type { Caller } from '../connections/change-rights.ts';
import type { ConnectionClient } from '../connections/connection-client.ts';
import type { ConnectionEvents } from '../connections/events.ts';
import { ANY_ENDPOINT } from '../connections/grants.ts';
import type { ConnectionsService } from '../connections/service.ts';
import { HitchError, invalidField, isHitchError } from '../errors.ts';
import { newId } from '../ids.ts';
import type { Outbound } from '../outbound/types.ts';
import type { ModuleRecord } from '../scenarios/model.ts';
import { keep } from '../scenarios/runner.ts';
import { httpInputs } from '../scenarios/modules/http-exchange.ts';
import { waitFor } from '../scenarios/modules/rate-limit.ts';
import { sendThroughConnection } from '../scenarios/modules/http.ts';
import type { ModuleRegistry } from '../scenarios/modules/registry.ts';
import type { ModuleOutcome, ModuleRunContext } from '../scenarios/modules/types.ts';
import type { ScenariosRepository } from '../store/repositories/scenarios.ts';
import type { ApprovalRow } from '../store/schema.ts';
import type { Approvals, ApprovalView } from './approvals.ts';
import {
  GET_APPROVAL_TOOL,
  moduleTools,
  REQUEST_TOOL,
  type AgentConnection,
  type ModuleTool,
  type ToolListing,
} from './tools.ts';

/** An agent's connections are read in pages of this many, up to `AGENT_CONNECTIONS_MAX`. */
const PAGE = 100;
const AGENT_CONNECTIONS_MAX = 1_000;

/** Who the agent acts for: the API token it presented. */
export interface AgentCaller {
  caller: Caller;
  tokenId: string;
  tokenName: string;
  restriction: TokenRestriction | null;
}

/** What a tool call answers: the module's output (redacted) as text, flagged when it failed. */
export interface ToolResult {
  content: Array<{ type: 'text'; text: string }>;
  isError: boolean;
}

/** A tool call resolved against the token's connections, ready to run (now, or once approved). */
interface PreparedCall {
  tool: string;
  connection: AgentConnection;
  inputs: Record<string, unknown>;
  /** What it sends, for the approval a person reads: the methods and the path below the base URL. */
  methods: string[];
  path: string;
  run: (context: ModuleRunContext) => Promise<ModuleOutcome>;
}

const text = (value: unknown, isError: boolean): ToolResult => ({
  content: [{ type: 'text', text: typeof value === 'string' ? value : JSON.stringify(value) }],
  isError,
});

/**
 * The MCP server's tools over connections, bounded by the token's grants: one
 * tool per catalog module on each connection the token may use, and `request`.
 * Every call goes through ConnectionClient with the token's grant, so a call
 * outside it is refused before any credential is placed, as on the proxy; every
 * call is an execution (trigger `mcp`) and an event. A token created with
 * `approval: "writes"` leaves each write to a team admin (./approvals.ts).
 */
export class AgentService {
  constructor(
    private readonly deps: {
      connections: ConnectionsService;
      client: ConnectionClient;
      outbound: Outbound;
      registry: ModuleRegistry;
      events: ConnectionEvents;
      executions: ScenariosRepository;
      approvals: Approvals;
      /** The token behind an approved call, as it stands when the call runs. */
      tokens: {
        byId(id: string): Promise<{ userId: string; name: string; restriction: TokenRestriction | null } | null>;
        teamsOf(userId: string): Promise<Array<{ id: string; role: string }>>;
      };
    },
  ) {}

  get approvals(): Approvals {
    return this.deps.approvals;
  }

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

  /** Every tool the token may call: its modules, `request`, and `get_approval` when its writes wait for a person. */
  async tools(agent: AgentCaller): Promise<ToolListing[]> {
    const modules = moduleTools(await this.connectionsOf(agent), this.deps.registry);
    return [
      ...modules.map(({ name, description, inputSchema }) => ({ name, description, inputSchema })),
      REQUEST_TOOL,
      ...(agent.restriction?.approval === 'writes' ? [GET_APPROVAL_TOOL] : []),
    ];
  }

  /** Runs one tool; a refusal or failure is a result the agent reads (`isError`), never a secret. */
  async call(agent: AgentCaller, name: string, args: Record<string, unknown>): Promise<ToolResult> {
    try {
      if (name === GET_APPROVAL_TOOL.name && agent.restriction?.approval === 'writes') {
        if (typeof args.approvalId !== 'string')
          throw invalidField('approvalId', 'Give the approvalId the write answered with.');
        return text(await this.deps.approvals.ofToken(agent.tokenId, args.approvalId), false);
      }
      const prepared = this.prepare(await this.connectionsOf(agent), name, args);
      if (prepared.methods.some((method) => needsApproval(agent.restriction, method))) {
        const approval = await this.deps.approvals.request({
          teamId: prepared.connection.teamId,
          connectionId: prepared.connection.id,
          connectionName: prepared.connection.name,
          tokenId: agent.tokenId,
          tokenName: agent.tokenName,
          userId: agent.caller.userId,
          tool: name,
          method: prepared.methods.join(', '),
          path: prepared.path,
          arguments: args,
        });
        return text(
          {
            approvalId: approval.id,
            status: approval.status,
            expiresAt: approval.expiresAt,
            message:
              'This write waits for a team owner or admin to approve it; it runs once approved. Call get_approval with this approvalId to read its outcome.',
          },
          false,
        );
      }
      return (await this.execute(agent, prepared)).result;
    } catch (error) {
      if (!isHitchError(error)) throw error;
      return text(error.message, true);
    }
  }

  /**
   * A team admin's decision on an approval; an approved call runs now, once,
   * as the token that asked stands today (revoked or narrowed since, it is refused).
   */
  async decide(caller: Caller, id: string, decision: 'approve' | 'deny'): Promise<ApprovalView> {
    const approved = await this.deps.approvals.decide(caller, id, decision);
    if (approved) await this.runApproved(approved);
    return this.deps.approvals.get(caller, id);
  }

  private async runApproved(row: ApprovalRow): Promise<void> {
    let result: ToolResult;
    let executionId: string | null = null;
    try {
      const token = await this.deps.tokens.byId(row.token_id);
      if (!token)
        throw new HitchError('unauthenticated', {
          message: `API token "${row.token_name}" was revoked or expired before the call ran; nothing was sent.`,
        });
      const teams = await this.deps.tokens.teamsOf(token.userId);
      const agent: AgentCaller = {
        caller: callerThrough(token.userId, teams, token.restriction),
        tokenId: row.token_id,
        tokenName: token.name,
        restriction: token.restriction,
      };
      const args = JSON.parse(row.arguments) as Record<string, unknown>;
      const prepared = this.prepare(await this.connectionsOf(agent), row.tool, args);
      const done = await this.execute(agent, prepared);
      result = done.result;
      executionId = done.executionId;
    } catch (error) {
      if (!isHitchError(error)) throw error;
      result = text(error.message, true);
    }
    await this.deps.approvals.recordOutcome(row.id, result, executionId);
  }

  private prepare(connections: AgentConnection[], name: string, args: Record<string, unknown>): PreparedCall {
    if (name === REQUEST_TOOL.name) {
      const connection = connections.find((c) => c.id === args.connectionId);
      if (!connection)
        throw invalidField(
          'connectionId',
          'This token may use no connection with this id: list the tools to see its connections.',
        );
      return {
        tool: name,
        connection,
        inputs: { url: args.path, method: args.method, query: args.query, body: args.body },
        methods: [typeof args.method === 'string' ? args.method.toUpperCase() : 'GET'],
        path: typeof args.path === 'string' ? args.path : '/',
        run: (context) => sendThroughConnection(context, httpInputs(context.inputs)),
      };
    }
    const tool: ModuleTool | undefined = moduleTools(connections, this.deps.registry).find((t) => t.name === name);
    if (!tool)
      throw new HitchError('not_found', { message: `There is no tool "${name}" for this token: list the tools.` });
    const endpoints = tool.spec.needs.kind === 'connection' ? tool.spec.needs.endpoints({}) : [];
    return {
      tool: name,
      connection: tool.connection,
      // As a scenario's run does: the module's defaults, then what the agent gave.
      inputs: {
        ...Object.fromEntries(tool.spec.inputs.filter((i) => i.default !== undefined).map((i) => [i.name, i.default])),
        ...args,
      },
      methods: endpoints.map((e) => e.method),
      path: endpoints.map((e) => e.path).join(', '),
      run: (context) => tool.spec.run(context),
    };
  }

  /** Runs a prepared call: an execution record (trigger `mcp`, no scenario) and an event, both without secrets. */
  private async execute(
    agent: AgentCaller,
    prepared: PreparedCall,
  ): Promise<{ result: ToolResult; executionId: string }> {
    const { connection } = prepared;
    const redactor = new Redactor();
    const startedAt = Date.now();
    const executionId = newId(startedAt);
    let record: ModuleRecord;
    let result: ToolResult;
    try {
      const outcome = await prepared.run(this.context(agent, connection, prepared.inputs, redactor));
      const output = outcome.error ? { error: outcome.error.message, output: outcome.output } : outcome.output;
      result = text(redactor.value(output), !!outcome.error);
      record = {
        id: 1,
        status: outcome.error ? 'error' : 'success',
        output: outcome.output,
        ...(outcome.request ? { request: outcome.request } : {}),
        ...(outcome.error ? { error: { code: outcome.error.code, message: outcome.error.message } } : {}),
      };
      const call = outcome.request
        ? ` (${outcome.request.method} ${outcome.request.url}, answered ${outcome.request.status} in ${outcome.request.ms} ms)`
        : '';
      await this.deps.events.record(
        connection.teamId,
        connection.id,
        'connection.agent_call',
        { userId: agent.caller.userId },
        redactor.text(`An agent with API token "${agent.tokenName}" called the tool ${prepared.tool}${call}.`),
      );
    } catch (error) {
      if (!isHitchError(error)) throw error;
      result = text(redactor.text(error.message), true);
      record = { id: 1, status: 'error', error: { code: error.code, message: error.message } };
    }
    await this.deps.executions.insertExecution({
      id: executionId,
      scenario_id: null,
      team_id: connection.teamId,
      trigger: 'mcp',
      status: record.status === 'success' ? 'success' : 'error',
      started_at: startedAt,
      finished_at: Date.now(),
      modules: JSON.stringify([keep(redactor.value(record))]),
      error: null,
    });
    return { result, executionId };
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
