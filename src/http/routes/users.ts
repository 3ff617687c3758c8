import type { FastifyPluginAsync } from 'fastify';
import type { TeamRole } from '../../accounts/types.ts';
import { HitchError } from '../../errors.ts';
import { authOf } from '../auth.ts';
import { emailSchema, idSchema, nameSchema, passwordSchema, roleSchema, userWithTeamsSchema } from '../schemas.ts';

interface NewUserBody {
  email: string;
  password: string;
  team?: { name: string };
  teamId?: string;
  /** Role in `teamId` (default member). */
  role?: TeamRole;
}

/** Instance administration: accounts are created by an administrator (there is no public sign-up). */
const usersRoutes: FastifyPluginAsync = async (app) => {
  const { accounts } = app.hitch;

  app.post<{ Body: NewUserBody }>(
    '/',
    {
      schema: {
        body: {
          type: 'object',
          required: ['email', 'password'],
          additionalProperties: false,
          properties: {
            email: emailSchema,
            password: passwordSchema,
            team: { type: 'object', required: ['name'], additionalProperties: false, properties: { name: nameSchema } },
            teamId: idSchema,
            role: roleSchema,
          },
        },
        response: { 201: userWithTeamsSchema },
      },
    },
    async (request, reply) => {
      if (!authOf(request).user.isAdmin)
        throw new HitchError('forbidden', { message: 'Only an instance administrator can create users.' });
      const { email, password, team, teamId, role } = request.body;
      if (team && teamId)
        throw new HitchError('validation_failed', {
          message: 'Give either team (a new team) or teamId (an existing team), not both.',
          details: { field: 'teamId' },
        });
      if (role && !teamId)
        throw new HitchError('validation_failed', {
          message: 'role applies only with teamId: the owner of a new team is its creator.',
          details: { field: 'role' },
        });
      const created = await accounts.createUser({
        email,
        password,
        ...(teamId ? { team: { id: teamId, ...(role ? { role } : {}) } } : team ? { team } : {}),
      });
      return reply.status(201).send(created);
    },
  );
};

export default usersRoutes;
