import type { FastifyPluginAsync } from 'fastify';
import { callerOf } from '../auth.ts';

const notificationSchema = {
  type: 'object',
  required: ['id', 'kind', 'teamId', 'connectionId', 'connectionName', 'app', 'message', 'renewBy', 'at'],
  properties: {
    id: { type: 'string' },
    kind: { type: 'string', enum: ['reauthorization_required', 'failing', 'renew_by'] },
    teamId: { type: 'string' },
    connectionId: { type: 'string' },
    connectionName: { type: 'string' },
    app: { type: 'string' },
    message: { type: 'string' },
    renewBy: { type: ['string', 'null'] },
    at: { type: 'string' },
  },
} as const;

/** `GET /api/v1/notifications`: what needs the caller's attention across their teams (the web app's banner). */
const notificationsRoutes: FastifyPluginAsync = async (app) => {
  app.get('/', { schema: { response: { 200: { type: 'object', required: ['items'], properties: { items: { type: 'array', items: notificationSchema } } } } } }, async (request) => {
    const { teamIds } = await callerOf(request);
    return { items: await request.server.hitch.connections.notifications.list(teamIds) };
  });
};

export default notificationsRoutes;
