import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { RateLimitRule } from '../../accounts/rate-limit.ts';
import type { Caller } from '../../connections/service.ts';
import { HitchError } from '../../errors.ts';
import { isId } from '../../ids.ts';
import type { ConnectionStatus } from '../../store/schema.ts';
import { callerOf, resolveTeam } from '../auth.ts';
import { pageQueryProperties, pageSchema } from '../pagination.ts';
import { idSchema, paramsSchema } from '../schemas.ts';

const STATUSES: ConnectionStatus[] = ['pending', 'active', 'error', 'reauthorization_required'];
const nullableTime = { type: ['string', 'null'] } as const;

/** The public connection. The response schema is a second guard: a field not listed here cannot leave. */
export const connectionSchema = {
  type: 'object',
  required: ['id', 'teamId', 'app', 'auth', 'name', 'status', 'account', 'scopes', 'permissions', 'fullAccess', 'expiresAt', 'renewBy', 'lastVerifiedAt', 'lastError', 'usedBy', 'data', 'createdAt', 'updatedAt'],
  properties: {
    id: { type: 'string' },
    teamId: { type: 'string' },
    app: { type: 'string' },
    auth: { type: 'string' },
    name: { type: 'string' },
    status: { type: 'string', enum: STATUSES },
    account: { type: ['object', 'null'], properties: { id: { type: 'string' }, label: { type: 'string' } } },
    scopes: { type: 'array', items: { type: 'string' } },
    permissions: { type: 'array', items: { type: 'object', properties: { scope: { type: 'string' }, description: { type: 'string' } } } },
    fullAccess: { type: 'boolean' },
    fullAccessDocsUrl: { type: 'string' },
    expiresAt: nullableTime,
    renewBy: nullableTime,
    lastVerifiedAt: nullableTime,
    lastError: { type: ['object', 'null'], properties: { code: { type: 'string' }, message: { type: 'string' }, at: { type: 'string' } } },
    usedBy: { type: 'array', items: { type: 'object', properties: { scenarioId: { type: 'string' }, name: { type: 'string' } } } },
    data: { type: 'object', additionalProperties: true },
    createdAt: { type: 'string' },
    updatedAt: { type: 'string' },
  },
} as const;

/**
 * Creating a connection writes a row, an OAuth flow and an event, and may call the service
 * (OpenID discovery): a script looping on it would fill the database. Counted per team in the
 * database, so every instance shares one count.
 */
export const CONNECTION_CREATE_PER_TEAM: RateLimitRule = { limit: 60, windowMs: 60_000 };

const scopesSchema = { type: 'array', maxItems: 200, items: { type: 'string', minLength: 1, maxLength: 256 } } as const;
const parametersSchema = { type: 'object', maxProperties: 100 } as const;


function checkId(id: string): void {
  if (!isId(id)) throw new HitchError('not_found', { message: 'There is no such connection in your teams.' });
}

/**
 * Who may change a connection: its creator and the team's owners and admins may edit,
 * reauthorize and delete it (one without a recorded creator: owners and admins only);
 * every member may see it, verify it and use it in scenarios. Said in the API description too.
 */
const CHANGE_RIGHT = 'Allowed for the connection’s creator and the team’s owners and admins (403 for other members).';
const DESTINATION_RULE = 'Changing a destination parameter (one that decides where credentials go: a host, a base URL, an OAuth endpoint) needs every secret of the connection in the same request (422 secrets_required otherwise).';

/** `/api/v1/connections`: the lifecycle a person drives. Business rules live in ConnectionsService. */
const connectionsRoutes: FastifyPluginAsync = async (app) => {
  const service = () => app.hitch.connections.service;

  app.post<{ Body: { teamId?: string; app: string; auth?: string; name?: string; scopes?: string[]; parameters?: Record<string, unknown>; scenarioId?: string } }>(
    '/',
    {
      config: {
        rateLimit: {
          rule: CONNECTION_CREATE_PER_TEAM,
          key: async (request) => `connection-create:team:${(await resolveTeam(request, (request.body as { teamId?: string }).teamId)).id}`,
          message: 'This team created too many connections in a short time: wait a minute and try again.',
        },
      },
      schema: {
        body: {
          type: 'object',
          required: ['app'],
          additionalProperties: false,
          properties: { teamId: idSchema, app: { type: 'string', minLength: 1, maxLength: 64 }, auth: { type: 'string', maxLength: 32 }, name: { type: 'string', maxLength: 1024 }, scopes: scopesSchema, parameters: parametersSchema, scenarioId: idSchema },
        },
        response: { 201: { type: 'object', properties: { connection: connectionSchema, authorizeUrl: { type: ['string', 'null'] } } } },
      },
    },
    async (request, reply) => {
      const team = await resolveTeam(request, request.body.teamId);
      const caller = await callerOf(request);
      const result = await service().create(caller, { ...request.body, teamId: team.id });
      return reply.status(201).send(result);
    },
  );

  app.get<{ Querystring: { teamId?: string; app?: string; status?: ConnectionStatus; cursor?: string; limit?: number } }>(
    '/',
    {
      schema: {
        querystring: { type: 'object', additionalProperties: false, properties: { teamId: idSchema, app: { type: 'string', maxLength: 64 }, status: { type: 'string', enum: STATUSES }, ...pageQueryProperties } },
        response: { 200: pageSchema(connectionSchema) },
      },
    },
    async (request) => {
      const caller = await callerOf(request);
      const teamIds = request.query.teamId ? [(await resolveTeam(request, request.query.teamId)).id] : caller.teamIds;
      const { app: appId, status, cursor, limit } = request.query;
      return service().list(caller, { teamIds, ...(appId ? { app: appId } : {}), ...(status ? { status } : {}), ...(cursor ? { cursor } : {}), ...(limit ? { limit } : {}) });
    },
  );

  app.get<{ Params: { id: string } }>('/:id', { schema: { params: paramsSchema('id'), response: { 200: connectionSchema } } }, async (request) => {
    checkId(request.params.id);
    return service().get(await callerOf(request), request.params.id);
  });

  app.patch<{ Params: { id: string }; Body: { name?: string; parameters?: Record<string, unknown> } }>(
    '/:id',
    {
      schema: {
        description: `Renames a connection or edits its editable parameters. ${CHANGE_RIGHT} ${DESTINATION_RULE} For OAuth connections a new destination means reauthorizing.`,
        params: paramsSchema('id'),
        body: { type: 'object', additionalProperties: false, properties: { name: { type: 'string', maxLength: 1024 }, parameters: parametersSchema } },
        response: { 200: connectionSchema },
      },
    },
    async (request) => {
      checkId(request.params.id);
      return service().update(await callerOf(request), request.params.id, request.body);
    },
  );

  app.post<{ Params: { id: string } }>(
    '/:id/verify',
    { schema: { params: paramsSchema('id'), response: { 200: { type: 'object', properties: { verified: { type: 'boolean' }, connection: connectionSchema, error: { type: 'object', properties: { code: { type: 'string' }, message: { type: 'string' } } } } } } } },
    async (request) => {
      checkId(request.params.id);
      return service().verify(await callerOf(request), request.params.id);
    },
  );

  app.post<{ Params: { id: string }; Body: { scopes?: string[]; parameters?: Record<string, unknown>; allowAccountChange?: boolean; scenarioId?: string } | undefined }>(
    '/:id/reauthorize',
    {
      schema: {
        description: `Sends the connection through authorization again, keeping its id; new values take effect only on success. ${CHANGE_RIGHT} ${DESTINATION_RULE}`,
        params: paramsSchema('id'),
        body: { type: ['object', 'null'], additionalProperties: false, properties: { scopes: scopesSchema, parameters: parametersSchema, allowAccountChange: { type: 'boolean' }, scenarioId: idSchema } },
        // `connection` comes with kinds checked at once (API keys, Basic, client credentials): no browser step.
        response: { 200: { type: 'object', properties: { authorizeUrl: { type: ['string', 'null'] }, connection: connectionSchema } } },
      },
    },
    async (request) => {
      checkId(request.params.id);
      return service().reauthorize(await callerOf(request), request.params.id, request.body ?? {});
    },
  );

  app.delete<{ Params: { id: string }; Querystring: { confirmed?: boolean } }>(
    '/:id',
    { schema: { description: `Deletes the connection and revokes it at the service. ${CHANGE_RIGHT}`, params: paramsSchema('id'), querystring: { type: 'object', additionalProperties: false, properties: { confirmed: { type: 'boolean' } } } } },
    async (request, reply) => {
      checkId(request.params.id);
      await service().delete(await callerOf(request), request.params.id, { confirmed: request.query.confirmed === true });
      return reply.status(204).send();
    },
  );
};

export default connectionsRoutes;
