import type { FastifyPluginAsync } from 'fastify';
import { authOf, requireTeamRole, resolveTeam } from '../auth.ts';
import { DEFAULT_PAGE_SIZE, pageQueryProperties, pageSchema, type PageQuery } from '../pagination.ts';
import { paramsSchema } from '../schemas.ts';

const webhookSchema = {
  type: 'object',
  required: ['teamId', 'url', 'createdAt', 'updatedAt'],
  properties: {
    teamId: { type: 'string' },
    url: { type: 'string' },
    createdAt: { type: 'string' },
    updatedAt: { type: 'string' },
  },
} as const;

const deliverySchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    eventId: { type: 'string' },
    eventType: { type: 'string' },
    url: { type: 'string' },
    status: { type: 'string' },
    attempts: { type: 'integer' },
    lastStatusCode: { type: ['integer', 'null'] },
    lastError: { type: ['string', 'null'] },
    createdAt: { type: 'string' },
    updatedAt: { type: 'string' },
    deliveredAt: { type: ['string', 'null'] },
  },
} as const;

/**
 * `/api/v1/teams/:id/webhook`: the team's webhook (owners and admins set and
 * remove it; the secret is write-only) and the outcomes of its deliveries.
 */
const webhooksRoutes: FastifyPluginAsync = async (app) => {
  const webhooks = () => app.hitch.connections.webhooks;
  const params = paramsSchema('id');

  app.get<{ Params: { id: string } }>(
    '/:id/webhook',
    { schema: { params, response: { 200: webhookSchema } } },
    async (request) => {
      const team = await resolveTeam(request, request.params.id);
      return webhooks().get(team.id);
    },
  );

  app.put<{ Params: { id: string }; Body: { url: string; secret: string } }>(
    '/:id/webhook',
    {
      schema: {
        params,
        body: {
          type: 'object',
          required: ['url', 'secret'],
          additionalProperties: false,
          properties: {
            url: { type: 'string', minLength: 1, maxLength: 2048 },
            secret: { type: 'string', minLength: 1, maxLength: 512 },
          },
        },
        response: { 200: webhookSchema },
      },
    },
    async (request) => {
      const team = await resolveTeam(request, request.params.id);
      requireTeamRole(team, 'owner', 'admin');
      return webhooks().set(team.id, authOf(request).user.id, request.body);
    },
  );

  app.delete<{ Params: { id: string } }>('/:id/webhook', { schema: { params } }, async (request, reply) => {
    const team = await resolveTeam(request, request.params.id);
    requireTeamRole(team, 'owner', 'admin');
    await webhooks().remove(team.id);
    return reply.status(204).send();
  });

  app.get<{ Params: { id: string }; Querystring: PageQuery }>(
    '/:id/webhook/deliveries',
    {
      schema: {
        params,
        querystring: { type: 'object', additionalProperties: false, properties: pageQueryProperties },
        response: { 200: pageSchema(deliverySchema) },
      },
    },
    async (request) => {
      const team = await resolveTeam(request, request.params.id);
      return webhooks().deliveries(team.id, {
        ...(request.query.cursor ? { cursor: request.query.cursor } : {}),
        limit: request.query.limit ?? DEFAULT_PAGE_SIZE,
      });
    },
  );
};

export default webhooksRoutes;
