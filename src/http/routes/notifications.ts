import type { FastifyPluginAsync } from 'fastify';
import { callerOf } from '../auth.ts';
import { typedRoute } from '../typed-route.ts';

/** `GET /api/v1/notifications`: what needs the caller's attention across their teams (the web app's banner). */
const notificationsRoutes: FastifyPluginAsync = async (app) => {
  typedRoute(app, 'GET /notifications', {}, async (request) => {
    const caller = await callerOf(request);
    const { connections, agents } = request.server.hitch;
    const items = await connections.notifications.list(caller.teamIds);
    // Agents' writes waiting for a person, for those who decide them.
    const pending = agents ? await agents.approvals.pendingFor(caller) : [];
    const named = await connections.service.namesOf(caller, [...new Set(pending.map((a) => a.connectionId))]);
    return {
      items: [
        ...items,
        ...pending.map((approval) => ({
          id: `${approval.id}:approval_requested`,
          kind: 'approval_requested' as const,
          teamId: approval.teamId,
          connectionId: approval.connectionId,
          connectionName: named.get(approval.connectionId)?.name ?? approval.connectionId,
          app: named.get(approval.connectionId)?.app ?? '',
          message: `An agent with API token "${approval.tokenName}" asks to call ${approval.method} ${approval.path} through this connection: approve or deny it under Approvals.`,
          renewBy: null,
          approvalId: approval.id,
          at: approval.createdAt,
        })),
      ],
    };
  });
};

export default notificationsRoutes;
