import type { FastifyPluginAsync } from 'fastify';
import { changePassword, getUserWithTeams } from '../../accounts/users.ts';
import { authOf } from '../auth.ts';
import { passwordSchema, userWithTeamsSchema } from '../schemas.ts';

interface PasswordBody {
  currentPassword: string;
  newPassword: string;
}

/** The signed-in user: who they are, their teams, their password. */
const meRoutes: FastifyPluginAsync = async (app) => {
  const { store } = app.hitch;

  app.get('/', { schema: { response: { 200: userWithTeamsSchema } } }, async (request) => getUserWithTeams(store, authOf(request).user.id));

  app.post<{ Body: PasswordBody }>(
    '/password',
    {
      schema: {
        body: {
          type: 'object',
          required: ['currentPassword', 'newPassword'],
          additionalProperties: false,
          properties: { currentPassword: { type: 'string', maxLength: 1024 }, newPassword: passwordSchema },
        },
      },
    },
    async (request, reply) => {
      const auth = authOf(request);
      await changePassword(store, auth.user.id, request.body.currentPassword, request.body.newPassword, auth.via === 'session' ? auth.sessionId : null);
      return reply.status(204).send();
    },
  );
};

export default meRoutes;
