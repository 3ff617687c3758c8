import { createHash } from 'node:crypto';
import type { InputDefinition } from '../catalog/schema.ts';
import { grantCovers, type EndpointPattern } from '../connections/grants.ts';
import { grantsBySettings } from '../scenarios/endpoint-grants.ts';
import type { ModuleRegistry } from '../scenarios/modules/registry.ts';
import type { ModuleSpec } from '../scenarios/modules/types.ts';

/** MCP tool names (the specification's recommendation, which clients enforce). */
const TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

/** A connection an agent may use, with the endpoints its token may call there. */
export interface AgentConnection {
  id: string;
  teamId: string;
  app: string;
  name: string;
  patterns: EndpointPattern[];
}

/** A tool as `tools/list` shows it. */
export interface ToolListing {
  name: string;
  description: string;
  inputSchema: object;
}

/** One tool: a catalog module on one connection. */
export interface ModuleTool {
  name: string;
  description: string;
  inputSchema: { type: 'object'; properties: Record<string, object>; required: string[] };
  connection: AgentConnection;
  spec: ModuleSpec;
}

/** The last characters of a connection id: its random part (the first ones are a timestamp). */
export function shortId(connectionId: string): string {
  return connectionId.replace(/-/g, '').slice(-8);
}

/** `<app>_<module>_<connection short id>`, shortened with a digest when longer than a tool name may be. */
export function toolName(app: string, module: string, connectionId: string): string {
  const name = `${app}_${module}_${shortId(connectionId)}`;
  if (TOOL_NAME.test(name)) return name;
  const digest = createHash('sha256').update(name).digest('hex').slice(0, 8);
  return `${`${app}_${module}`.replace(/[^a-zA-Z0-9_-]/g, '_').slice(0, 64 - 18)}_${digest}_${shortId(connectionId)}`;
}

/** A module's inputs as the JSON Schema of a tool's arguments. */
export function inputSchemaOf(inputs: readonly InputDefinition[]): ModuleTool['inputSchema'] {
  const properties: Record<string, object> = {};
  for (const input of inputs) {
    const described = { title: input.label, ...(input.help ? { description: input.help } : {}) };
    switch (input.type) {
      case 'number':
        properties[input.name] = { ...described, type: 'number' };
        break;
      case 'boolean':
        properties[input.name] = { ...described, type: 'boolean' };
        break;
      case 'select':
        properties[input.name] = { ...described, type: 'string', enum: (input.options ?? []).map((o) => o.value) };
        break;
      case 'list':
        properties[input.name] = { ...described, type: 'array' };
        break;
      case 'map':
        properties[input.name] = { ...described, type: 'object', additionalProperties: { type: 'string' } };
        break;
      case 'json':
        properties[input.name] = described;
        break;
      default:
        properties[input.name] = { ...described, type: 'string' };
    }
  }
  return { type: 'object', properties, required: inputs.filter((i) => i.required).map((i) => i.name) };
}

/**
 * The module tools an agent may call: each declarative module of each
 * connection's app whose endpoint the token's grant there covers. Generic
 * modules are left to the `request` tool, which takes a method and a path.
 */
export function moduleTools(connections: readonly AgentConnection[], registry: ModuleRegistry): ModuleTool[] {
  const tools: ModuleTool[] = [];
  for (const connection of connections) {
    const appName = registry.apps().find((a) => a.id === connection.app)?.name ?? connection.app;
    for (const spec of registry.modulesOf(connection.app) ?? []) {
      if (spec.needs.kind !== 'connection' || grantsBySettings(spec)) continue;
      const endpoints = spec.needs.endpoints({});
      if (!endpoints.every((e) => grantCovers(connection.patterns, e))) continue;
      tools.push({
        name: toolName(connection.app, spec.id, connection.id),
        description: `${appName}: ${spec.name}, through the connection "${connection.name}".`,
        inputSchema: inputSchemaOf(spec.inputs),
        connection,
        spec,
      });
    }
  }
  return tools;
}

/** The generic tool's arguments: a call within the token's grants on one of its connections. */
export const REQUEST_TOOL = {
  name: 'request',
  description:
    'Calls a connection’s service directly: a method and a path below the connection’s base URL, within the endpoints this token was granted.',
  inputSchema: {
    type: 'object',
    properties: {
      connectionId: { type: 'string', description: 'The id of one of the connections this token may use.' },
      method: { type: 'string', enum: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD'] },
      path: { type: 'string', description: 'A path below the connection’s base URL, such as /v1/items.' },
      query: { type: 'object', additionalProperties: { type: 'string' } },
      body: { description: 'A JSON body, for methods that take one.' },
    },
    required: ['connectionId', 'method', 'path'],
  },
} as const;

/** How an agent whose writes wait for a person reads what became of one. */
export const GET_APPROVAL_TOOL = {
  name: 'get_approval',
  description:
    'Reads a write that waits for a person: pending, approved (with the call’s result once it ran), denied or expired.',
  inputSchema: {
    type: 'object',
    properties: { approvalId: { type: 'string', description: 'The approvalId a write answered with.' } },
    required: ['approvalId'],
  },
} as const;
