import type { FastifyPluginAsync } from 'fastify';
import type { RateLimitRule } from '../../accounts/rate-limit.ts';
import { HitchError } from '../../errors.ts';
import { isId } from '../../ids.ts';
import { callerOf, resolveTeam } from '../auth.ts';
import { typedRoute } from '../typed-route.ts';

/**
 * Creating a connection writes a row, an OAuth flow and an event, and may call the service
 * (OpenID discovery): a script looping on it would fill the database. Counted per team in the
 * database, so every instance shares one count.
 */
export const CONNECTION_CREATE_PER_TEAM: RateLimitRule = { limit: 60, windowMs: 60_000 };

function checkId(id: string): void {
  if (!isId(id)) throw new HitchError('not_found', { message: 'There is no such connection in your teams.' });
}

/** `/api/v1/connections`: the lifecycle a person drives. Business rules live in ConnectionsService; schemas in ../contract/connections.ts. */
const connectionsRoutes: FastifyPluginAsync = async (app) => {
  const service = () => app.hitch.connections.service;

  typedRoute(
    app,
    'POST /connections',
    {
      rateLimit: {
        rule: CONNECTION_CREATE_PER_TEAM,
        key: async (request) => `connection-create:team:${(await resolveTeam(request, request.body.teamId)).id}`,
        message: 'This team created too many connections in a short time: wait a minute and try again.',
      },
    },
    async (request) => {
      const team = await resolveTeam(request, request.body.teamId);
      const caller = await callerOf(request);
      return service().create(caller, { ...request.body, teamId: team.id });
    },
  );

  // A restricted token reads its own connections here, and nothing else (its caller sees only those).
  const readableByScopedTokens = { config: { acceptsRestrictedTokens: true } } as const;

  typedRoute(app, 'GET /connections', readableByScopedTokens, async (request) => {
    const caller = await callerOf(request);
    const teamIds = request.query.teamId
      ? [(await resolveTeam(request, request.query.teamId)).id].filter((id) => caller.teamIds.includes(id))
      : caller.teamIds;
    const { app: appId, status, cursor, limit } = request.query;
    return service().list(caller, {
      teamIds,
      ...(appId ? { app: appId } : {}),
      ...(status ? { status } : {}),
      ...(cursor ? { cursor } : {}),
      ...(limit ? { limit } : {}),
    });
  });

  typedRoute(app, 'GET /connections/:id', readableByScopedTokens, async (request) => {
    checkId(request.params.id);
    return service().get(await callerOf(request), request.params.id);
  });

  typedRoute(app, 'PATCH /connections/:id', {}, async (request) => {
    checkId(request.params.id);
    return service().update(await callerOf(request), request.params.id, request.body);
  });

  typedRoute(app, 'POST /connections/:id/verify', {}, async (request) => {
    checkId(request.params.id);
    return service().verify(await callerOf(request), request.params.id);
  });

  typedRoute(app, 'POST /connections/:id/reauthorize', {}, async (request) => {
    checkId(request.params.id);
    return service().reauthorize(await callerOf(request), request.params.id, request.body ?? {});
  });

  typedRoute(app, 'DELETE /connections/:id', {}, async (request) => {
    checkId(request.params.id);
    await service().delete(await callerOf(request), request.params.id, { confirmed: request.query.confirmed === true });
  });
};

export default connectionsRoutes;
