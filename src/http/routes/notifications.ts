import type { FastifyPluginAsync } from 'fastify';
import { callerOf } from '../auth.ts';
import { typedRoute } from '../typed-route.ts';

/** `GET /api/v1/notifications`: what needs the caller's attention across their teams (the web app's banner). */
const notificationsRoutes: FastifyPluginAsync = async (app) => {
  typedRoute(app, 'GET /notifications', {}, async (request) => {
    const { teamIds } = await callerOf(request);
    return { items: await request.server.hitch.connections.notifications.list(teamIds) };
  });
};

export default notificationsRoutes;
