import type { FastifyPluginAsync } from 'fastify';
import { HitchError } from '../../errors.ts';
import { isId } from '../../ids.ts';
import { callerOf, resolveTeam } from '../auth.ts';
import { typedRoute } from '../typed-route.ts';
import { scenariosOf } from './scenarios.ts';

function checkId(id: string): void {
  if (!isId(id)) throw new HitchError('not_found', { message: 'There is no such key in your teams.' });
}

/** `/api/v1/keys`: the keychain. Business rules live in KeysService; schemas in ../contract/keys.ts. */
const keysRoutes: FastifyPluginAsync = async (app) => {
  typedRoute(app, 'POST /keys', {}, async (request) => {
    const team = await resolveTeam(request, request.body.teamId);
    return scenariosOf(request).keys.create(await callerOf(request), { ...request.body, teamId: team.id });
  });

  typedRoute(app, 'GET /keys', {}, async (request) => {
    const caller = await callerOf(request);
    const teamIds = request.query.teamId ? [(await resolveTeam(request, request.query.teamId)).id] : caller.teamIds;
    const { type, cursor, limit } = request.query;
    return scenariosOf(request).keys.list({
      teamIds,
      ...(type ? { type } : {}),
      ...(cursor ? { cursor } : {}),
      ...(limit ? { limit } : {}),
    });
  });

  typedRoute(app, 'GET /keys/:id', {}, async (request) => {
    checkId(request.params.id);
    return scenariosOf(request).keys.get(await callerOf(request), request.params.id);
  });

  typedRoute(app, 'PATCH /keys/:id', {}, async (request) => {
    checkId(request.params.id);
    return scenariosOf(request).keys.update(await callerOf(request), request.params.id, request.body);
  });

  typedRoute(app, 'DELETE /keys/:id', {}, async (request) => {
    checkId(request.params.id);
    await scenariosOf(request).keys.delete(await callerOf(request), request.params.id, {
      confirmed: request.query.confirmed === true,
    });
  });
};

export default keysRoutes;
