import type { FastifyPluginAsync } from 'fastify';
import { HitchError } from '../../errors.ts';
import { authOf } from '../auth.ts';
import { typedRoute } from '../typed-route.ts';

/** Instance administration: accounts are created by an administrator (schemas in ../contract/users.ts). */
const usersRoutes: FastifyPluginAsync = async (app) => {
  const { accounts } = app.hitch;

  typedRoute(app, 'POST /users', {}, async (request) => {
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
    return accounts.createUser({
      email,
      password,
      ...(teamId ? { team: { id: teamId, ...(role ? { role } : {}) } } : team ? { team } : {}),
    });
  });
};

export default usersRoutes;
