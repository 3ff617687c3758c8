import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { ModuleListing } from '../../api-types.ts';
import { HitchError } from '../../errors.ts';
import { isId } from '../../ids.ts';
import type { Scenarios } from '../../scenarios/index.ts';
import { callerOf, resolveTeam } from '../auth.ts';
import { keysetPage } from '../pagination.ts';
import { typedRoute } from '../typed-route.ts';

/** The scenarios and keychain services; the routes are registered only where they are wired. */
export function scenariosOf(request: FastifyRequest): Scenarios {
  const scenarios = request.server.hitch.scenarios;
  if (!scenarios) throw new HitchError('unavailable');
  return scenarios;
}

function checkId(id: string): void {
  if (!isId(id)) throw new HitchError('not_found', { message: 'There is no such scenario in your teams.' });
}

/** `/api/v1/scenarios`: business rules live in ScenariosService; schemas in ../contract/scenarios.ts. */
const scenariosRoutes: FastifyPluginAsync = async (app) => {
  typedRoute(app, 'POST /scenarios', {}, async (request) => {
    const team = await resolveTeam(request, request.body.teamId);
    return scenariosOf(request).service.create(await callerOf(request), { ...request.body, teamId: team.id });
  });

  typedRoute(app, 'GET /scenarios', {}, async (request) => {
    const caller = await callerOf(request);
    const teamIds = request.query.teamId ? [(await resolveTeam(request, request.query.teamId)).id] : caller.teamIds;
    const { cursor, limit } = request.query;
    return scenariosOf(request).service.list({ teamIds, ...(cursor ? { cursor } : {}), ...(limit ? { limit } : {}) });
  });

  typedRoute(app, 'GET /scenarios/:id', {}, async (request) => {
    checkId(request.params.id);
    return scenariosOf(request).service.get(await callerOf(request), request.params.id);
  });

  typedRoute(app, 'PATCH /scenarios/:id', {}, async (request) => {
    checkId(request.params.id);
    return scenariosOf(request).service.update(await callerOf(request), request.params.id, request.body);
  });

  typedRoute(app, 'DELETE /scenarios/:id', {}, async (request) => {
    checkId(request.params.id);
    await scenariosOf(request).service.delete(await callerOf(request), request.params.id);
  });

  typedRoute(app, 'GET /scenarios/:id/permissions', {}, async (request) => {
    checkId(request.params.id);
    return scenariosOf(request).service.permissions(await callerOf(request), request.params.id);
  });

  typedRoute(app, 'POST /scenarios/:id/run', {}, async (request) => {
    checkId(request.params.id);
    const execution = await scenariosOf(request).service.run(
      await callerOf(request),
      request.params.id,
      request.body?.inputs,
    );
    return { execution };
  });

  typedRoute(app, 'GET /scenarios/:id/executions', {}, async (request) => {
    checkId(request.params.id);
    const { cursor, limit } = request.query;
    return scenariosOf(request).service.executions(await callerOf(request), request.params.id, {
      ...(cursor ? { cursor } : {}),
      ...(limit ? { limit } : {}),
    });
  });
};

/** `POST /api/v1/connections/:id/replace {with}`: moves the team's scenarios to another connection of the same app. */
export const connectionReplaceRoutes: FastifyPluginAsync = async (app) => {
  typedRoute(app, 'POST /connections/:id/replace', {}, async (request) => {
    if (!isId(request.params.id))
      throw new HitchError('not_found', { message: 'There is no such connection in your teams.' });
    return scenariosOf(request).service.replaceConnection(
      await callerOf(request),
      request.params.id,
      request.body.with,
    );
  });
};

/** `GET /api/v1/executions?teamId=&trigger=`: every execution of the caller's teams, agents' tool calls included. */
export const executionsRoutes: FastifyPluginAsync = async (app) => {
  typedRoute(app, 'GET /executions', {}, async (request) => {
    const { teamId, trigger } = request.query;
    const teamIds = teamId ? [(await resolveTeam(request, teamId)).id] : (await callerOf(request)).teamIds;
    return keysetPage(
      request.query,
      (page) => scenariosOf(request).service.teamExecutions(teamIds, { ...(trigger ? { trigger } : {}), ...page }),
      (e) => e.id,
    );
  });
};

/** `GET /api/v1/modules?app=`: what a scenario can use, each with Connection or Key first when it needs one. */
export const modulesRoutes: FastifyPluginAsync = async (app) => {
  typedRoute(app, 'GET /modules', {}, async (request) => {
    const { registry } = scenariosOf(request).links;
    const all = registry.apps();
    const apps = request.query.app ? all.filter((a) => a.id === request.query.app) : all;
    const items = apps.flatMap(({ id, name }) =>
      (registry.modulesOf(id) ?? []).map((m): ModuleListing => ({
        app: m.app,
        appName: name,
        id: m.id,
        name: m.name,
        scopes: m.scopes,
        fields: [
          ...(m.needs.kind === 'connection'
            ? [
                {
                  name: 'connectionId',
                  label: 'Connection',
                  type: 'connection',
                  app: m.needs.app,
                  required: true,
                } as const,
              ]
            : []),
          ...(m.needs.kind === 'key'
            ? [{ name: 'keyId', label: 'Key', type: 'key', keyType: m.needs.type, required: true } as const]
            : []),
          ...m.inputs,
        ],
      })),
    );
    return { items };
  });
};

export default scenariosRoutes;
