import { pageQueryProperties, pageSchema } from '../pagination.ts';
import { paramsSchema } from '../schemas.ts';

/** The team's webhook as it is shown: the secret is write-only. */
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

/** The outcome of one delivery of an event to the webhook: every field is always there, null when it has no value yet. */
const deliverySchema = {
  type: 'object',
  required: [
    'id',
    'eventId',
    'eventType',
    'url',
    'status',
    'attempts',
    'lastStatusCode',
    'lastError',
    'createdAt',
    'updatedAt',
    'deliveredAt',
  ],
  properties: {
    id: { type: 'string' },
    eventId: { type: 'string' },
    eventType: { type: 'string' },
    url: { type: 'string' },
    status: { type: 'string', enum: ['pending', 'delivered', 'failed'] },
    attempts: { type: 'integer' },
    lastStatusCode: { type: ['integer', 'null'] },
    lastError: { type: ['string', 'null'] },
    createdAt: { type: 'string' },
    updatedAt: { type: 'string' },
    deliveredAt: { type: ['string', 'null'] },
  },
} as const;

const params = paramsSchema('id');

/** `/api/v1/teams/:id/webhook`: owners and admins set and remove it; its deliveries' outcomes. */
export const webhookRoutes = {
  'GET /teams/:id/webhook': { params, reply: webhookSchema },
  'PUT /teams/:id/webhook': {
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
    reply: webhookSchema,
  },
  'DELETE /teams/:id/webhook': { params, status: 204 },
  'GET /teams/:id/webhook/deliveries': {
    params,
    querystring: { type: 'object', additionalProperties: false, properties: pageQueryProperties },
    reply: pageSchema(deliverySchema),
  },
} as const;
