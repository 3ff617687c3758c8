import { pageQueryProperties, pageSchema } from '../pagination.ts';
import { apiTokenSchema, idSchema, nameSchema, paramsSchema } from '../schemas.ts';

/** An endpoint a scoped token may call on one of its connections; `path` below the connection's base URL. */
const grantSchema = {
  type: 'object',
  required: ['connectionId', 'method', 'path'],
  additionalProperties: false,
  properties: {
    connectionId: idSchema,
    method: { type: 'string', maxLength: 16 },
    path: { type: 'string', minLength: 1, maxLength: 2048 },
  },
} as const;

/**
 * `/api/v1/tokens`: personal API tokens. The token is in the 201 answer and
 * nowhere else, ever. Any of `teamId`, `connections`, `grants`, `scenarioId`
 * `readOnly` and `approval` makes it a scoped token (src/accounts/token-restrictions.ts).
 */
export const tokenRoutes = {
  'POST /tokens': {
    body: {
      type: 'object',
      required: ['name'],
      additionalProperties: false,
      properties: {
        name: nameSchema,
        teamId: idSchema,
        connections: { type: 'array', maxItems: 100, items: idSchema },
        grants: { type: 'array', maxItems: 200, items: grantSchema },
        scenarioId: idSchema,
        readOnly: { type: 'boolean' },
        /** `writes`: each call but GET and HEAD through the MCP server waits for a team admin's approval. */
        approval: { type: 'string', enum: ['writes'] },
        /** Milliseconds since 1970, like `createdAt`. */
        expiresAt: { type: 'integer', minimum: 0 },
      },
    },
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
