import type { FastifyPluginAsync } from 'fastify';
import type { TeamRole } from '../../accounts/types.ts';
import { HitchError } from '../../errors.ts';
import { isId } from '../../ids.ts';
import { authOf, resolveTeam } from '../auth.ts';
import { keysetPage, pageQueryProperties, pageSchema, type PageQuery } from '../pagination.ts';
import { emailSchema, memberSchema, paramsSchema, roleSchema } from '../schemas.ts';

const teamParams = paramsSchema('id');
const memberParams = paramsSchema('id', 'userId');
const notAMember = () => new HitchError('not_found', { message: 'This person is not a member of the team.' });

/** A team's members. Every member sees the list; owners and admins change it (rules in accounts/teams.ts). */
const membersRoutes: FastifyPluginAsync = async (app) => {
  const { accounts } = app.hitch;

  app.get<{ Params: { id: string }; Querystring: PageQuery }>(
    '/:id/members',
    {
      schema: {
        params: teamParams,
        querystring: { type: 'object', additionalProperties: false, properties: pageQueryProperties },
        response: { 200: pageSchema(memberSchema) },
      },
    },
    async (request) => {
      const team = await resolveTeam(request, request.params.id);
      return keysetPage(
        request.query,
        (page) => accounts.listMembers(team.id, page),
        (m) => m.userId,
      );
    },
  );

  app.post<{ Params: { id: string }; Body: { email: string; role?: TeamRole } }>(
    '/:id/members',
    {
      schema: {
        params: teamParams,
        body: {
          type: 'object',
          required: ['email'],
          additionalProperties: false,
          properties: { email: emailSchema, role: roleSchema },
        },
        response: { 201: memberSchema },
      },
    },
    async (request, reply) => {
      const team = await resolveTeam(request, request.params.id);
      const member = await accounts.addMember(team.role, team.id, {
        email: request.body.email,
        role: request.body.role ?? 'member',
      });
      return reply.status(201).send(member);
    },
  );

  app.patch<{ Params: { id: string; userId: string }; Body: { role: TeamRole } }>(
    '/:id/members/:userId',
    {
      schema: {
        params: memberParams,
        body: { type: 'object', required: ['role'], additionalProperties: false, properties: { role: roleSchema } },
        response: { 200: memberSchema },
      },
    },
    async (request) => {
      const team = await resolveTeam(request, request.params.id);
      if (!isId(request.params.userId)) throw notAMember();
      return accounts.changeMemberRole(team.role, team.id, request.params.userId, request.body.role);
    },
  );

  app.delete<{ Params: { id: string; userId: string } }>(
    '/:id/members/:userId',
    { schema: { params: memberParams } },
    async (request, reply) => {
      const team = await resolveTeam(request, request.params.id);
      if (!isId(request.params.userId)) throw notAMember();
      await accounts.removeMember({ userId: authOf(request).user.id, role: team.role }, team.id, request.params.userId);
      return reply.status(204).send();
    },
  );
};

export default membersRoutes;
