import type { FastifyPluginAsync } from 'fastify';
import { authOf } from '../auth.ts';
import { typedRoute } from '../typed-route.ts';

/** The signed-in user: who they are, their teams, their password. */
const meRoutes: FastifyPluginAsync = async (app) => {
  const { accounts } = app.hitch;

  typedRoute(app, 'GET /me', {}, async (request) => accounts.me(authOf(request).user.id));

  typedRoute(app, 'POST /me/password', {}, async (request) => {
    const auth = authOf(request);
    return accounts.changePassword({
      userId: auth.user.id,
      currentPassword: request.body.currentPassword,
      newPassword: request.body.newPassword,
      keepSessionId: auth.via === 'session' ? auth.sessionId : null,
      address: request.ip,
    });
  });
};

export default meRoutes;
