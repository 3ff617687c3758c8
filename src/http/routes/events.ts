import type { FastifyPluginAsync } from 'fastify';
import { isId } from '../../ids.ts';
import { callerOf, resolveTeam } from '../auth.ts';
import { DEFAULT_PAGE_SIZE, pageQueryProperties, pageSchema } from '../pagination.ts';
import { idSchema } from '../schemas.ts';

export const eventSchema = {
  type: 'object',
  required: ['id', 'type', 'at', 'actor', 'connectionId', 'message'],
  properties: {
    id: { type: 'string' },
    type: { type: 'string' },
    at: { type: 'string' },
    actor: { type: 'string' },
    connectionId: { type: ['string', 'null'] },
    message: { type: 'string' },
  },
} as const;

interface EventsQuery {
  teamId?: string;
  connectionId?: string;
  type?: string;
  cursor?: string;
  limit?: number;
}

/** `GET /api/v1/events`: the audit trail of the caller's teams, newest first. */
const eventsRoutes: FastifyPluginAsync = async (app) => {
  app.get<{ Querystring: EventsQuery }>(
    '/',
    {
      schema: {
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            teamId: idSchema,
            connectionId: idSchema,
            type: { type: 'string', maxLength: 64 },
            ...pageQueryProperties,
          },
        },
        response: { 200: pageSchema(eventSchema) },
      },
    },
    async (request) => {
      const { teamId, connectionId, type, cursor, limit = DEFAULT_PAGE_SIZE } = request.query;
      const teamIds = teamId ? [(await resolveTeam(request, teamId)).id] : (await callerOf(request)).teamIds;
      if (connectionId !== undefined && !isId(connectionId)) return { items: [], nextCursor: null };
      return request.server.hitch.auditTrail.list({
        teamIds,
        ...(connectionId ? { connectionId } : {}),
        ...(type ? { type } : {}),
        ...(cursor ? { cursor } : {}),
        limit,
      });
    },
  );
};

export default eventsRoutes;
