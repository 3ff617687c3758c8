import { KEY_TYPES } from '../../keys/types.ts';
import { pageQueryProperties, pageSchema } from '../pagination.ts';
import { idSchema, paramsSchema } from '../schemas.ts';

/** The public key. The response schema is a second guard: secret parameters cannot leave. */
export const keySchema = {
  type: 'object',
  required: [
    'id',
    'teamId',
    'name',
    'type',
    'parameters',
    'fingerprint',
    'origins',
    'usedBy',
    'createdAt',
    'updatedAt',
  ],
  properties: {
    id: { type: 'string' },
    teamId: { type: 'string' },
    name: { type: 'string' },
    type: { type: 'string', enum: KEY_TYPES },
    // Only the non-secret parameters of each type (material.ts marks which).
    parameters: {
      type: 'object',
      properties: {
        placement: { type: 'string' },
        parameterName: { type: 'string' },
        username: { type: 'string' },
        certificate: { type: 'string' },
        publicKey: { type: 'string' },
      },
    },
    fingerprint: { type: ['string', 'null'] },
    origins: { type: 'array', items: { type: 'string' } },
    usedBy: {
      type: 'array',
      items: {
        type: 'object',
        required: ['scenarioId', 'name'],
        properties: { scenarioId: { type: 'string' }, name: { type: 'string' } },
      },
    },
    createdAt: { type: 'string' },
    updatedAt: { type: 'string' },
  },
} as const;

/** Secret and non-secret values together; the server keeps the secret ones in the vault. */
const parametersSchema = { type: 'object', maxProperties: 10 } as const;
/** Where an apiKey, basic or certificate key may be sent, e.g. ["https://api.example.com"]. */
const originsSchema = { type: 'array', maxItems: 20, items: { type: 'string', maxLength: 2048 } } as const;
/** Who may change a key: as for connections (connections/change-rights.ts). */
const KEY_CHANGE_RIGHT = 'Allowed for the key’s creator and the team’s owners and admins (403 for other members).';

/** `/api/v1/keys`: secrets go in, never come back. */
export const keyRoutes = {
  'POST /keys': {
    body: {
      type: 'object',
      required: ['name', 'type'],
      additionalProperties: false,
      properties: {
        teamId: idSchema,
        name: { type: 'string', maxLength: 1024 },
        type: { type: 'string', enum: [...KEY_TYPES] },
        parameters: parametersSchema,
        origins: originsSchema,
      },
    },
    status: 201,
    reply: keySchema,
  },
  'GET /keys': {
    querystring: {
      type: 'object',
      additionalProperties: false,
      properties: { teamId: idSchema, type: { type: 'string', enum: [...KEY_TYPES] }, ...pageQueryProperties },
    },
    reply: pageSchema(keySchema),
  },
  'GET /keys/:id': { params: paramsSchema('id'), reply: keySchema },
  'PATCH /keys/:id': {
    description: `Renames a key, or changes its parameters or origins; new origins need the key's secrets again. ${KEY_CHANGE_RIGHT}`,
    params: paramsSchema('id'),
    body: {
      type: 'object',
      additionalProperties: false,
      properties: { name: { type: 'string', maxLength: 1024 }, parameters: parametersSchema, origins: originsSchema },
    },
    reply: keySchema,
  },
  'DELETE /keys/:id': {
    description: `Deletes the key; one that scenarios use needs \`confirmed=true\`. ${KEY_CHANGE_RIGHT}`,
    params: paramsSchema('id'),
    querystring: { type: 'object', additionalProperties: false, properties: { confirmed: { type: 'boolean' } } },
    status: 204,
  },
} as const;
