import { pageQueryProperties, pageSchema } from '../pagination.ts';
import { apiTokenSchema, nameSchema, paramsSchema } from '../schemas.ts';

/** `/api/v1/tokens`: personal API tokens. The token is in the 201 answer and nowhere else, ever. */
export const tokenRoutes = {
  'POST /tokens': {
    body: { type: 'object', required: ['name'], additionalProperties: false, properties: { name: nameSchema } },
    status: 201,
    reply: {
      ...apiTokenSchema,
      required: [...apiTokenSchema.required, 'token'],
      properties: { ...apiTokenSchema.properties, token: { type: 'string' } },
    },
  },
  'GET /tokens': {
    querystring: { type: 'object', additionalProperties: false, properties: pageQueryProperties },
    reply: pageSchema(apiTokenSchema),
  },
  'DELETE /tokens/:id': { params: paramsSchema('id'), status: 204 },
} as const;
