import { pageQueryProperties, pageSchema } from '../pagination.ts';
import { idSchema } from '../schemas.ts';

/** One entry of the audit trail. */
const eventSchema = {
  type: 'object',
  required: ['id', 'type', 'at', 'actor', 'connectionId', 'message'],
  properties: {
    id: { type: 'string' },
    type: { type: 'string' },
    at: { type: 'string' },
    actor: { type: 'string' },
    connectionId: { type: ['string', 'null'] },
    message: { type: 'string' },
  },
} as const;

/** `GET /api/v1/events`: the audit trail of the caller's teams, newest first. */
export const eventRoutes = {
  'GET /events': {
    querystring: {
      type: 'object',
      additionalProperties: false,
      properties: {
        teamId: idSchema,
        connectionId: idSchema,
        type: { type: 'string', maxLength: 64 },
        ...pageQueryProperties,
      },
    },
    reply: pageSchema(eventSchema),
  },
} as const;
