import type { FastifyPluginAsync } from 'fastify';
import { HitchError } from '../../errors.ts';
import { isId } from '../../ids.ts';
import { authOf, resolveTeam } from '../auth.ts';
import { keysetPage } from '../pagination.ts';
import { typedRoute } from '../typed-route.ts';

const notAMember = () => new HitchError('not_found', { message: 'This person is not a member of the team.' });

/**
 * A team's members. Every member sees the list; owners and admins change it (rules in accounts/teams.ts,
 * schemas in ../contract/members.ts).
 */
const membersRoutes: FastifyPluginAsync = async (app) => {
  const { accounts } = app.hitch;

  typedRoute(app, 'GET /teams/:id/members', {}, async (request) => {
    const team = await resolveTeam(request, request.params.id);
    return keysetPage(
      request.query,
      (page) => accounts.listMembers(team.id, page),
      (m) => m.userId,
    );
  });

  typedRoute(app, 'POST /teams/:id/members', {}, async (request) => {
    const team = await resolveTeam(request, request.params.id);
    return accounts.addMember(team.role, team.id, {
      email: request.body.email,
      role: request.body.role ?? 'member',
    });
  });

  typedRoute(app, 'PATCH /teams/:id/members/:userId', {}, async (request) => {
    const team = await resolveTeam(request, request.params.id);
    if (!isId(request.params.userId)) throw notAMember();
    return accounts.changeMemberRole(team.role, team.id, request.params.userId, request.body.role);
  });

  typedRoute(app, 'DELETE /teams/:id/members/:userId', {}, async (request) => {
    const team = await resolveTeam(request, request.params.id);
    if (!isId(request.params.userId)) throw notAMember();
    await accounts.removeMember({ userId: authOf(request).user.id, role: team.role }, team.id, request.params.userId);
  });
};

export default membersRoutes;
