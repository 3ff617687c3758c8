import type { FastifyPluginAsync } from 'fastify';
import { authOf, requireTeamRole, resolveTeam } from '../auth.ts';
import { DEFAULT_PAGE_SIZE } from '../pagination.ts';
import { typedRoute } from '../typed-route.ts';

/**
 * `/api/v1/teams/:id/webhook`: the team's webhook (owners and admins set and
 * remove it; the secret is write-only) and the outcomes of its deliveries.
 * Schemas in ../contract/webhooks.ts.
 */
const webhooksRoutes: FastifyPluginAsync = async (app) => {
  const webhooks = () => app.hitch.connections.webhooks;

  typedRoute(app, 'GET /teams/:id/webhook', {}, async (request) => {
    const team = await resolveTeam(request, request.params.id);
    return webhooks().get(team.id);
  });

  typedRoute(app, 'PUT /teams/:id/webhook', {}, async (request) => {
    const team = await resolveTeam(request, request.params.id);
    requireTeamRole(team, 'owner', 'admin');
    return webhooks().set(team.id, authOf(request).user.id, request.body);
  });

  typedRoute(app, 'DELETE /teams/:id/webhook', {}, async (request) => {
    const team = await resolveTeam(request, request.params.id);
    requireTeamRole(team, 'owner', 'admin');
    await webhooks().remove(team.id);
  });

  typedRoute(app, 'GET /teams/:id/webhook/deliveries', {}, async (request) => {
    const team = await resolveTeam(request, request.params.id);
    return webhooks().deliveries(team.id, {
      ...(request.query.cursor ? { cursor: request.query.cursor } : {}),
      limit: request.query.limit ?? DEFAULT_PAGE_SIZE,
    });
  });
};

export default webhooksRoutes;
