import { KEY_TYPES } from '../../keys/types.ts';
import { moduleInputSchema } from './apps.ts';
import { CONNECTION_STATUSES } from './connections.ts';
import { pageQueryProperties, pageSchema } from '../pagination.ts';
import { endpointPatternSchema, idSchema, paramsSchema } from '../schemas.ts';

const errorSchema = {
  type: 'object',
  required: ['code', 'message'],
  properties: { code: { type: 'string' }, message: { type: 'string' } },
} as const;

/** One step of a scenario, as people write it. */
const moduleSchema = {
  type: 'object',
  required: ['id', 'app', 'module', 'inputs'],
  properties: {
    id: { type: 'integer' },
    app: { type: 'string' },
    module: { type: 'string' },
    connectionId: { type: 'string' },
    keyId: { type: 'string' },
    inputs: { type: 'object', additionalProperties: true },
  },
} as const;

export const scenarioSchema = {
  type: 'object',
  required: [
    'id',
    'teamId',
    'name',
    'active',
    'schedule',
    'modules',
    'pausedReason',
    'nextRunAt',
    'createdAt',
    'updatedAt',
  ],
  properties: {
    id: { type: 'string' },
    teamId: { type: 'string' },
    name: { type: 'string' },
    active: { type: 'boolean' },
    schedule: {
      type: ['object', 'null'],
      required: ['intervalMinutes'],
      properties: { intervalMinutes: { type: 'integer' } },
    },
    modules: { type: 'array', items: moduleSchema },
    pausedReason: { type: ['string', 'null'] },
    nextRunAt: { type: ['string', 'null'] },
    createdAt: { type: 'string' },
    updatedAt: { type: 'string' },
  },
} as const;

/** An execution. Module outputs are whatever the services answered, minus secrets (see runner.ts). */
export const executionSchema = {
  type: 'object',
  required: ['id', 'scenarioId', 'trigger', 'status', 'startedAt', 'finishedAt', 'modules'],
  properties: {
    id: { type: 'string' },
    /** Null for an agent's tool call through the MCP server. */
    scenarioId: { type: ['string', 'null'] },
    trigger: { type: 'string', enum: ['run', 'schedule', 'mcp'] },
    status: { type: 'string', enum: ['running', 'success', 'error'] },
    startedAt: { type: 'string' },
    finishedAt: { type: ['string', 'null'] },
    modules: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'status'],
        properties: {
          id: { type: 'integer' },
          status: { type: 'string', enum: ['success', 'error', 'skipped'] },
          output: {},
          error: errorSchema,
          request: {
            type: 'object',
            required: ['method', 'url', 'status', 'ms'],
            properties: {
              method: { type: 'string' },
              url: { type: 'string' },
              status: { type: 'integer' },
              ms: { type: 'integer' },
            },
          },
        },
      },
    },
    error: errorSchema,
  },
} as const;

/** A scenario's connections: the scopes its modules need, what each connection has, and what is missing. */
const permissionsSchema = {
  type: 'object',
  required: ['ok', 'connections'],
  properties: {
    ok: { type: 'boolean' },
    connections: {
      type: 'array',
      items: {
        type: 'object',
        required: ['connectionId', 'app', 'name', 'status', 'required', 'granted', 'missing', 'endpoints'],
        properties: {
          connectionId: { type: 'string' },
          app: { type: 'string' },
          name: { type: 'string' },
          status: { type: 'string', enum: CONNECTION_STATUSES },
          required: { type: 'array', items: { type: 'string' } },
          granted: { type: 'array', items: { type: 'string' } },
          missing: { type: 'array', items: { type: 'string' } },
          endpoints: {
            type: 'array',
            items: {
              type: 'object',
              required: ['method', 'path', 'modules'],
              properties: {
                ...endpointPatternSchema.properties,
                modules: { type: 'array', items: { type: 'integer' } },
              },
            },
          },
        },
      },
    },
  },
} as const;

const scenarioBody = {
  type: 'object',
  additionalProperties: false,
  properties: {
    name: { type: 'string', maxLength: 1024 },
    // Modules and the schedule are checked by the service, which names the bad field.
    modules: { type: 'array', maxItems: 100 },
    schedule: { type: ['object', 'null'] },
    active: { type: 'boolean' },
  },
} as const;

/** The Connection field a module needing one lists first: a connection of `app`. */
const connectionFieldSchema = {
  type: 'object',
  required: ['name', 'label', 'type', 'app', 'required'],
  properties: {
    name: { type: 'string', enum: ['connectionId'] },
    label: { type: 'string', enum: ['Connection'] },
    type: { type: 'string', enum: ['connection'] },
    app: { type: 'string' },
    required: { type: 'boolean', enum: [true] },
  },
} as const;

/** The Key field a module needing one lists first: a key of `keyType`. */
const keyFieldSchema = {
  type: 'object',
  required: ['name', 'label', 'type', 'keyType', 'required'],
  properties: {
    name: { type: 'string', enum: ['keyId'] },
    label: { type: 'string', enum: ['Key'] },
    type: { type: 'string', enum: ['key'] },
    keyType: { type: 'string', enum: KEY_TYPES },
    required: { type: 'boolean', enum: [true] },
  },
} as const;

/** A module a scenario can use: Connection or Key first when it needs one, then its inputs. */
const moduleListingSchema = {
  type: 'object',
  required: ['app', 'appName', 'id', 'name', 'scopes', 'fields'],
  properties: {
    app: { type: 'string' },
    appName: { type: 'string' },
    id: { type: 'string' },
    name: { type: 'string' },
    scopes: { type: 'array', items: { type: 'string' } },
    // The `type` of each field tells the three apart.
    fields: { type: 'array', items: { anyOf: [connectionFieldSchema, keyFieldSchema, moduleInputSchema] } },
  },
} as const;

/** `/api/v1/scenarios` and `/api/v1/modules`. */
export const scenarioRoutes = {
  'POST /scenarios': {
    body: { ...scenarioBody, required: ['name'], properties: { ...scenarioBody.properties, teamId: idSchema } },
    status: 201,
    reply: scenarioSchema,
  },
  'GET /scenarios': {
    querystring: {
      type: 'object',
      additionalProperties: false,
      properties: { teamId: idSchema, ...pageQueryProperties },
    },
    reply: pageSchema(scenarioSchema),
  },
  'GET /scenarios/:id': { params: paramsSchema('id'), reply: scenarioSchema },
  'PATCH /scenarios/:id': { params: paramsSchema('id'), body: scenarioBody, reply: scenarioSchema },
  'DELETE /scenarios/:id': { params: paramsSchema('id'), status: 204 },
  'GET /scenarios/:id/permissions': { params: paramsSchema('id'), reply: permissionsSchema },
  'POST /scenarios/:id/run': {
    params: paramsSchema('id'),
    body: { type: ['object', 'null'], additionalProperties: false, properties: { inputs: { type: 'object' } } },
    reply: { type: 'object', required: ['execution'], properties: { execution: executionSchema } },
  },
  'GET /scenarios/:id/executions': {
    params: paramsSchema('id'),
    querystring: { type: 'object', additionalProperties: false, properties: pageQueryProperties },
    reply: pageSchema(executionSchema),
  },
  /** Executions across the caller's teams, newest first: agents' tool calls (`trigger=mcp`) have no scenario. */
  'GET /executions': {
    querystring: {
      type: 'object',
      additionalProperties: false,
      properties: {
        teamId: idSchema,
        trigger: { type: 'string', enum: ['run', 'schedule', 'mcp'] },
        ...pageQueryProperties,
      },
    },
    reply: pageSchema(executionSchema),
  },
  'GET /modules': {
    querystring: {
      type: 'object',
      additionalProperties: false,
      properties: { app: { type: 'string', maxLength: 64 } },
    },
    reply: {
      type: 'object',
      required: ['items'],
      properties: { items: { type: 'array', items: moduleListingSchema } },
    },
  },
} as const;
