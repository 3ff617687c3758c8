import type { FastifyPluginAsync } from 'fastify';
import { HitchError } from '../../errors.ts';
import { isId } from '../../ids.ts';
import { KEY_TYPES } from '../../keys/types.ts';
import { callerOf, resolveTeam } from '../auth.ts';
import { pageQueryProperties, pageSchema } from '../pagination.ts';
import { idSchema, paramsSchema } from '../schemas.ts';
import { scenariosOf } from './scenarios.ts';

/** The public key. The response schema is a second guard: secret parameters cannot leave. */
export const keySchema = {
  type: 'object',
  required: ['id', 'teamId', 'name', 'type', 'parameters', 'fingerprint', 'origins', 'usedBy', 'createdAt', 'updatedAt'],
  properties: {
    id: { type: 'string' },
    teamId: { type: 'string' },
    name: { type: 'string' },
    type: { type: 'string' },
    // Only the non-secret parameters of each type (material.ts marks which).
    parameters: { type: 'object', properties: { placement: { type: 'string' }, parameterName: { type: 'string' }, username: { type: 'string' }, certificate: { type: 'string' }, publicKey: { type: 'string' } } },
    fingerprint: { type: ['string', 'null'] },
    origins: { type: 'array', items: { type: 'string' } },
    usedBy: { type: 'array', items: { type: 'object', properties: { scenarioId: { type: 'string' }, name: { type: 'string' } } } },
    createdAt: { type: 'string' },
    updatedAt: { type: 'string' },
  },
} as const;

const parametersSchema = { type: 'object', maxProperties: 10 } as const;
/** Where an apiKey, basic or certificate key may be sent, e.g. ["https://api.example.com"]. */
const originsSchema = { type: 'array', maxItems: 20, items: { type: 'string', maxLength: 2048 } } as const;

function checkId(id: string): void {
  if (!isId(id)) throw new HitchError('not_found', { message: 'There is no such key in your teams.' });
}

/** `/api/v1/keys`: the keychain. Business rules live in KeysService. */
const keysRoutes: FastifyPluginAsync = async (app) => {
  app.post<{ Body: { teamId?: string; name: string; type: string; parameters?: Record<string, unknown>; origins?: string[] } }>(
    '/',
    {
      schema: {
        body: { type: 'object', required: ['name', 'type'], additionalProperties: false, properties: { teamId: idSchema, name: { type: 'string', maxLength: 1024 }, type: { type: 'string', enum: [...KEY_TYPES] }, parameters: parametersSchema, origins: originsSchema } },
        response: { 201: keySchema },
      },
    },
    async (request, reply) => {
      const team = await resolveTeam(request, request.body.teamId);
      const key = await scenariosOf(request).keys.create(await callerOf(request), { ...request.body, teamId: team.id });
      return reply.status(201).send(key);
    },
  );

  app.get<{ Querystring: { teamId?: string; type?: string; cursor?: string; limit?: number } }>(
    '/',
    {
      schema: {
        querystring: { type: 'object', additionalProperties: false, properties: { teamId: idSchema, type: { type: 'string', enum: [...KEY_TYPES] }, ...pageQueryProperties } },
        response: { 200: pageSchema(keySchema) },
      },
    },
    async (request) => {
      const caller = await callerOf(request);
      const teamIds = request.query.teamId ? [(await resolveTeam(request, request.query.teamId)).id] : caller.teamIds;
      const { type, cursor, limit } = request.query;
      return scenariosOf(request).keys.list({ teamIds, ...(type ? { type } : {}), ...(cursor ? { cursor } : {}), ...(limit ? { limit } : {}) });
    },
  );

  app.get<{ Params: { id: string } }>('/:id', { schema: { params: paramsSchema('id'), response: { 200: keySchema } } }, async (request) => {
    checkId(request.params.id);
    return scenariosOf(request).keys.get(await callerOf(request), request.params.id);
  });

  app.patch<{ Params: { id: string }; Body: { name?: string; parameters?: Record<string, unknown>; origins?: string[] } }>(
    '/:id',
    { schema: { params: paramsSchema('id'), body: { type: 'object', additionalProperties: false, properties: { name: { type: 'string', maxLength: 1024 }, parameters: parametersSchema, origins: originsSchema } }, response: { 200: keySchema } } },
    async (request) => {
      checkId(request.params.id);
      return scenariosOf(request).keys.update(await callerOf(request), request.params.id, request.body);
    },
  );

  app.delete<{ Params: { id: string }; Querystring: { confirmed?: boolean } }>(
    '/:id',
    { schema: { params: paramsSchema('id'), querystring: { type: 'object', additionalProperties: false, properties: { confirmed: { type: 'boolean' } } } } },
    async (request, reply) => {
      checkId(request.params.id);
      await scenariosOf(request).keys.delete(await callerOf(request), request.params.id, { confirmed: request.query.confirmed === true });
      return reply.status(204).send();
    },
  );
};

export default keysRoutes;
