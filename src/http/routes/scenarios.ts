import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { ModuleListing } from '../../api-types.ts';
import type { Caller } from '../../connections/service.ts';
import { HitchError } from '../../errors.ts';
import { isId } from '../../ids.ts';
import type { Scenarios } from '../../scenarios/index.ts';
import { callerOf, resolveTeam } from '../auth.ts';
import { pageQueryProperties, pageSchema } from '../pagination.ts';
import { idSchema, paramsSchema } from '../schemas.ts';


/** The scenarios and keychain services; the routes are registered only where they are wired. */
export function scenariosOf(request: FastifyRequest): Scenarios {
  const scenarios = request.server.hitch.scenarios;
  if (!scenarios) throw new HitchError('unavailable');
  return scenarios;
}

const errorSchema = { type: 'object', properties: { code: { type: 'string' }, message: { type: 'string' } } } as const;

const moduleSchema = {
  type: 'object',
  required: ['id', 'app', 'module', 'inputs'],
  properties: { id: { type: 'integer' }, app: { type: 'string' }, module: { type: 'string' }, connectionId: { type: 'string' }, keyId: { type: 'string' }, inputs: { type: 'object', additionalProperties: true } },
} as const;

export const scenarioSchema = {
  type: 'object',
  required: ['id', 'teamId', 'name', 'active', 'schedule', 'modules', 'pausedReason', 'nextRunAt', 'createdAt', 'updatedAt'],
  properties: {
    id: { type: 'string' },
    teamId: { type: 'string' },
    name: { type: 'string' },
    active: { type: 'boolean' },
    schedule: { type: ['object', 'null'], properties: { intervalMinutes: { type: 'integer' } } },
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
    scenarioId: { type: 'string' },
    trigger: { type: 'string' },
    status: { type: 'string' },
    startedAt: { type: 'string' },
    finishedAt: { type: ['string', 'null'] },
    modules: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'status'],
        properties: {
          id: { type: 'integer' },
          status: { type: 'string' },
          output: {},
          error: errorSchema,
          request: { type: 'object', properties: { method: { type: 'string' }, url: { type: 'string' }, status: { type: 'integer' }, ms: { type: 'integer' } } },
        },
      },
    },
    error: errorSchema,
  },
} as const;

const permissionsSchema = {
  type: 'object',
  required: ['ok', 'connections'],
  properties: {
    ok: { type: 'boolean' },
    connections: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          connectionId: { type: 'string' },
          app: { type: 'string' },
          name: { type: 'string' },
          status: { type: 'string' },
          required: { type: 'array', items: { type: 'string' } },
          granted: { type: 'array', items: { type: 'string' } },
          missing: { type: 'array', items: { type: 'string' } },
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
    modules: { type: 'array', maxItems: 100 },
    schedule: { type: ['object', 'null'] },
    active: { type: 'boolean' },
  },
} as const;

function checkId(id: string): void {
  if (!isId(id)) throw new HitchError('not_found', { message: 'There is no such scenario in your teams.' });
}

interface ScenarioBody {
  teamId?: string;
  name?: string;
  modules?: unknown[];
  schedule?: Record<string, unknown> | null;
  active?: boolean;
}

/** `/api/v1/scenarios`: business rules live in ScenariosService. */
const scenariosRoutes: FastifyPluginAsync = async (app) => {
  app.post<{ Body: ScenarioBody }>(
    '/',
    { schema: { body: { ...scenarioBody, required: ['name'], properties: { ...scenarioBody.properties, teamId: idSchema } }, response: { 201: scenarioSchema } } },
    async (request, reply) => {
      const team = await resolveTeam(request, request.body.teamId);
      const created = await scenariosOf(request).service.create(await callerOf(request), { ...request.body, teamId: team.id });
      return reply.status(201).send(created);
    },
  );

  app.get<{ Querystring: { teamId?: string; cursor?: string; limit?: number } }>(
    '/',
    { schema: { querystring: { type: 'object', additionalProperties: false, properties: { teamId: idSchema, ...pageQueryProperties } }, response: { 200: pageSchema(scenarioSchema) } } },
    async (request) => {
      const caller = await callerOf(request);
      const teamIds = request.query.teamId ? [(await resolveTeam(request, request.query.teamId)).id] : caller.teamIds;
      const { cursor, limit } = request.query;
      return scenariosOf(request).service.list({ teamIds, ...(cursor ? { cursor } : {}), ...(limit ? { limit } : {}) });
    },
  );

  app.get<{ Params: { id: string } }>('/:id', { schema: { params: paramsSchema('id'), response: { 200: scenarioSchema } } }, async (request) => {
    checkId(request.params.id);
    return scenariosOf(request).service.get(await callerOf(request), request.params.id);
  });

  app.patch<{ Params: { id: string }; Body: Omit<ScenarioBody, 'teamId'> }>(
    '/:id',
    { schema: { params: paramsSchema('id'), body: scenarioBody, response: { 200: scenarioSchema } } },
    async (request) => {
      checkId(request.params.id);
      return scenariosOf(request).service.update(await callerOf(request), request.params.id, request.body);
    },
  );

  app.delete<{ Params: { id: string } }>('/:id', { schema: { params: paramsSchema('id') } }, async (request, reply) => {
    checkId(request.params.id);
    await scenariosOf(request).service.delete(await callerOf(request), request.params.id);
    return reply.status(204).send();
  });

  app.get<{ Params: { id: string } }>('/:id/permissions', { schema: { params: paramsSchema('id'), response: { 200: permissionsSchema } } }, async (request) => {
    checkId(request.params.id);
    return scenariosOf(request).service.permissions(await callerOf(request), request.params.id);
  });

  app.post<{ Params: { id: string }; Body: { inputs?: Record<string, unknown> } | undefined }>(
    '/:id/run',
    {
      schema: {
        params: paramsSchema('id'),
        body: { type: ['object', 'null'], additionalProperties: false, properties: { inputs: { type: 'object' } } },
        response: { 200: { type: 'object', required: ['execution'], properties: { execution: executionSchema } } },
      },
    },
    async (request) => {
      checkId(request.params.id);
      const execution = await scenariosOf(request).service.run(await callerOf(request), request.params.id, request.body?.inputs);
      return { execution };
    },
  );

  app.get<{ Params: { id: string }; Querystring: { cursor?: string; limit?: number } }>(
    '/:id/executions',
    { schema: { params: paramsSchema('id'), querystring: { type: 'object', additionalProperties: false, properties: pageQueryProperties }, response: { 200: pageSchema(executionSchema) } } },
    async (request) => {
      checkId(request.params.id);
      const { cursor, limit } = request.query;
      return scenariosOf(request).service.executions(await callerOf(request), request.params.id, { ...(cursor ? { cursor } : {}), ...(limit ? { limit } : {}) });
    },
  );
};

/** `POST /api/v1/connections/:id/replace {with}`: moves the team's scenarios to another connection of the same app. */
export const connectionReplaceRoutes: FastifyPluginAsync = async (app) => {
  app.post<{ Params: { id: string }; Body: { with: string } }>(
    '/:id/replace',
    {
      schema: {
        params: paramsSchema('id'),
        body: { type: 'object', required: ['with'], additionalProperties: false, properties: { with: idSchema } },
        response: { 200: { type: 'object', required: ['moved'], properties: { moved: { type: 'array', items: { type: 'object', properties: { scenarioId: { type: 'string' }, name: { type: 'string' } } } } } } },
      },
    },
    async (request) => {
      if (!isId(request.params.id)) throw new HitchError('not_found', { message: 'There is no such connection in your teams.' });
      return scenariosOf(request).service.replaceConnection(await callerOf(request), request.params.id, request.body.with);
    },
  );
};

/** `GET /api/v1/modules?app=`: what a scenario can use, each with Connection or Key first when it needs one. */
export const modulesRoutes: FastifyPluginAsync = async (app) => {
  app.get<{ Querystring: { app?: string } }>('/', { schema: { querystring: { type: 'object', additionalProperties: false, properties: { app: { type: 'string', maxLength: 64 } } } } }, async (request) => {
    const { registry } = scenariosOf(request).links;
    const all = registry.apps();
    const apps = request.query.app ? all.filter((a) => a.id === request.query.app) : all;
    const items = apps.flatMap(({ id, name }) =>
      (registry.modulesOf(id) ?? []).map((m): ModuleListing => ({
        app: m.app,
        appName: name,
        id: m.id,
        name: m.name,
        scopes: m.scopes,
        fields: [
          ...(m.needs.kind === 'connection' ? [{ name: 'connectionId', label: 'Connection', type: 'connection', app: m.needs.app, required: true } as const] : []),
          ...(m.needs.kind === 'key' ? [{ name: 'keyId', label: 'Key', type: 'key', keyType: m.needs.type, required: true } as const] : []),
          ...m.inputs,
        ],
      })),
    );
    return { items };
  });
};

export default scenariosRoutes;
