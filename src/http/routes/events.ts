import type { FastifyPluginAsync } from 'fastify';
import { isId } from '../../ids.ts';
import { callerOf, resolveTeam } from '../auth.ts';
import { DEFAULT_PAGE_SIZE } from '../pagination.ts';
import { typedRoute } from '../typed-route.ts';

/** `GET /api/v1/events`: the audit trail of the caller's teams, newest first (schemas in ../contract/events.ts). */
const eventsRoutes: FastifyPluginAsync = async (app) => {
  typedRoute(app, 'GET /events', {}, async (request) => {
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
  });
};

export default eventsRoutes;
