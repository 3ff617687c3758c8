import type { FastifyPluginAsync } from 'fastify';
import { teamsOf } from '../../accounts/teams.ts';
import { authOf } from '../auth.ts';

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
    const { user } = authOf(request);
    const teams = await teamsOf(request.server.hitch.store.db, user.id);
    return { items: await request.server.hitch.connections.notifications.list(teams.map((t) => t.id)) };
  });
};

export default notificationsRoutes;
