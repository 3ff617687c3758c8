import { pageQueryProperties, pageSchema } from '../pagination.ts';
import { emailSchema, memberSchema, paramsSchema, roleSchema } from '../schemas.ts';

const teamParams = paramsSchema('id');
const memberParams = paramsSchema('id', 'userId');

/** `/api/v1/teams/:id/members`: every member sees the list; owners and admins change it. */
export const memberRoutes = {
  'GET /teams/:id/members': {
    params: teamParams,
    querystring: { type: 'object', additionalProperties: false, properties: pageQueryProperties },
    reply: pageSchema(memberSchema),
  },
  'POST /teams/:id/members': {
    params: teamParams,
    body: {
      type: 'object',
      required: ['email'],
      additionalProperties: false,
      properties: { email: emailSchema, role: roleSchema },
    },
    status: 201,
    reply: memberSchema,
  },
  'PATCH /teams/:id/members/:userId': {
    params: memberParams,
    body: { type: 'object', required: ['role'], additionalProperties: false, properties: { role: roleSchema } },
    reply: memberSchema,
  },
  'DELETE /teams/:id/members/:userId': { params: memberParams, status: 204 },
} as const;
