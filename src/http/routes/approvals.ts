import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { HitchError } from '../../errors.ts';
import { callerOf, resolveTeam } from '../auth.ts';
import { keysetPage } from '../pagination.ts';
import { typedRoute } from '../typed-route.ts';

/** `/api/v1/approvals`: agents' writes waiting for a person (schemas in ../contract/approvals.ts). */
const approvalsRoutes: FastifyPluginAsync = async (app) => {
  const agentsOf = (request: FastifyRequest) => {
    const agents = request.server.hitch.agents;
    if (!agents) throw new HitchError('unavailable');
    return agents;
  };

  typedRoute(app, 'GET /approvals', {}, async (request) => {
    const caller = await callerOf(request);
    const { teamId, status } = request.query;
    const teamIds = teamId ? [(await resolveTeam(request, teamId)).id] : caller.teamIds;
    return keysetPage(
      request.query,
      (page) => agentsOf(request).approvals.list(caller, { teamIds, ...(status ? { status } : {}), ...page }),
      (a) => a.id,
    );
  });

  typedRoute(app, 'GET /approvals/:id', {}, async (request) =>
    agentsOf(request).approvals.get(await callerOf(request), request.params.id),
  );

  typedRoute(app, 'POST /approvals/:id', {}, async (request) =>
    agentsOf(request).decide(await callerOf(request), request.params.id, request.body.decision),
  );
};

export default approvalsRoutes;
