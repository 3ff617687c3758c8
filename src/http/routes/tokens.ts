import type { FastifyPluginAsync } from 'fastify';
import { HitchError } from '../../errors.ts';
import { isId } from '../../ids.ts';
import { authOf, callerOf, resolveTeam } from '../auth.ts';
import { keysetPage } from '../pagination.ts';
import { typedRoute } from '../typed-route.ts';

const notFound = () => new HitchError('not_found', { message: 'You have no API token with this id.' });

/** Personal API tokens: the token is in the 201 answer and nowhere else, ever (schemas in ../contract/tokens.ts). */
const tokensRoutes: FastifyPluginAsync = async (app) => {
  const { accounts } = app.hitch;

  typedRoute(app, 'POST /tokens', {}, async (request) => {
    const caller = await callerOf(request);
    // Limiting a token to a team needs the caller's membership, said as for every other route.
    if (request.body.teamId !== undefined) await resolveTeam(request, request.body.teamId);
    return accounts.createApiToken(caller, request.body);
  });

  typedRoute(app, 'GET /tokens', {}, async (request) =>
    keysetPage(
      request.query,
      (page) => accounts.listApiTokens(authOf(request).user.id, page),
      (t) => t.id,
    ),
  );

  typedRoute(app, 'DELETE /tokens/:id', {}, async (request) => {
    if (!isId(request.params.id) || !(await accounts.revokeApiToken(authOf(request).user.id, request.params.id)))
      throw notFound();
  });
};

export default tokensRoutes;
