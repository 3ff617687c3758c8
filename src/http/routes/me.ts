import type { FastifyPluginAsync } from 'fastify';
import { authOf } from '../auth.ts';
import { passwordSchema, userWithTeamsSchema } from '../schemas.ts';

interface PasswordBody {
  currentPassword: string;
  newPassword: string;
}

/** The signed-in user: who they are, their teams, their password. */
const meRoutes: FastifyPluginAsync = async (app) => {
  const { accounts } = app.hitch;

  app.get('/', { schema: { response: { 200: userWithTeamsSchema } } }, async (request) => accounts.me(authOf(request).user.id));

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
        // API tokens survive a password change; the person is told how many, to revoke any they no longer trust.
        response: { 200: { type: 'object', required: ['apiTokens'], additionalProperties: false, properties: { apiTokens: { type: 'integer', minimum: 0 } } } },
      },
    },
    async (request) => {
      const auth = authOf(request);
      return accounts.changePassword({
        userId: auth.user.id,
        currentPassword: request.body.currentPassword,
        newPassword: request.body.newPassword,
        keepSessionId: auth.via === 'session' ? auth.sessionId : null,
        address: request.ip,
      });
    },
  );
};

export default meRoutes;
