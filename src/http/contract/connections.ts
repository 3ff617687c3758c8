import { LAST_ERROR_ACTIONS } from '../../connections/last-error-action.ts';
import { pageQueryProperties, pageSchema } from '../pagination.ts';
import { idSchema, paramsSchema } from '../schemas.ts';

/** A connection's statuses, as the API and the database both spell them. */
export const CONNECTION_STATUSES = ['pending', 'active', 'error', 'reauthorization_required'] as const;

const nullableTime = { type: ['string', 'null'] } as const;
const usedBySchema = {
  type: 'array',
  items: {
    type: 'object',
    required: ['scenarioId', 'name'],
    properties: { scenarioId: { type: 'string' }, name: { type: 'string' } },
  },
} as const;

/** The public connection. The response schema is a second guard: a field not listed here cannot leave. */
export const connectionSchema = {
  type: 'object',
  required: [
    'id',
    'teamId',
    'app',
    'auth',
    'name',
    'status',
    'account',
    'scopes',
    'permissions',
    'fullAccess',
    'expiresAt',
    'renewBy',
    'reauthorizeBy',
    'lastVerifiedAt',
    'lastRenewedAt',
    'lastError',
    'usedBy',
    'createdBy',
    'data',
    'createdAt',
    'updatedAt',
  ],
  properties: {
    id: { type: 'string' },
    teamId: { type: 'string' },
    app: { type: 'string' },
    auth: { type: 'string' },
    name: { type: 'string' },
    status: { type: 'string', enum: CONNECTION_STATUSES },
    account: { type: ['object', 'null'], properties: { id: { type: 'string' }, label: { type: 'string' } } },
    scopes: { type: 'array', items: { type: 'string' } },
    permissions: {
      type: 'array',
      items: {
        type: 'object',
        required: ['scope', 'description'],
        properties: { scope: { type: 'string' }, description: { type: 'string' } },
      },
    },
    fullAccess: { type: 'boolean' },
    fullAccessDocsUrl: { type: 'string' },
    expiresAt: nullableTime,
    renewBy: nullableTime,
    reauthorizeBy: nullableTime,
    lastVerifiedAt: nullableTime,
    lastRenewedAt: nullableTime,
    lastError: {
      type: ['object', 'null'],
      required: ['code', 'message', 'action'],
      properties: {
        code: { type: 'string' },
        message: { type: 'string' },
        at: { type: 'string' },
        action: {
          type: 'string',
          enum: LAST_ERROR_ACTIONS,
          description:
            'What the error asks a person to do: reauthorize the connection, verify it again (the trouble may have passed), or have an administrator fix the app (the service refuses its client or settings).',
        },
      },
    },
    usedBy: usedBySchema,
    /** The creating user's id (`GET /teams/:id/members` names them); null when made by the system. */
    createdBy: { type: ['string', 'null'] },
    /** Names of the secret parameters the connection holds, never their values; absent when not known (older connections). */
    secretsSet: { type: 'array', items: { type: 'string' } },
    data: { type: 'object', additionalProperties: true },
    createdAt: { type: 'string' },
    updatedAt: { type: 'string' },
  },
} as const;

const scopesSchema = { type: 'array', maxItems: 200, items: { type: 'string', minLength: 1, maxLength: 256 } } as const;
const parametersSchema = { type: 'object', maxProperties: 100 } as const;
const errorSchema = {
  type: 'object',
  required: ['code', 'message'],
  properties: { code: { type: 'string' }, message: { type: 'string' } },
} as const;

/**
 * Who may change a connection: its creator and the team's owners and admins may edit,
 * reauthorize and delete it (one without a recorded creator: owners and admins only);
 * every member may see it, verify it and use it in scenarios. Said in the API description too.
 */
const CHANGE_RIGHT = 'Allowed for the connection’s creator and the team’s owners and admins (403 for other members).';
const DESTINATION_RULE =
  'Changing a destination parameter (one that decides where credentials go: a host, a base URL, an OAuth endpoint) needs every secret of the connection in the same request (422 secrets_required otherwise).';

/** `/api/v1/connections`: the schemas that validate each request and filter each reply. */
export const connectionRoutes = {
  'POST /connections': {
    body: {
      type: 'object',
      required: ['app'],
      additionalProperties: false,
      properties: {
        teamId: idSchema,
        app: { type: 'string', minLength: 1, maxLength: 64 },
        auth: { type: 'string', maxLength: 32 },
        name: { type: 'string', maxLength: 1024 },
        scopes: scopesSchema,
        parameters: parametersSchema,
        scenarioId: idSchema,
      },
    },
    status: 201,
    reply: {
      type: 'object',
      required: ['connection', 'authorizeUrl'],
      properties: { connection: connectionSchema, authorizeUrl: { type: ['string', 'null'] } },
    },
  },
  'GET /connections': {
    querystring: {
      type: 'object',
      additionalProperties: false,
      properties: {
        teamId: idSchema,
        app: { type: 'string', maxLength: 64 },
        status: { type: 'string', enum: CONNECTION_STATUSES },
        ...pageQueryProperties,
      },
    },
    reply: pageSchema(connectionSchema),
  },
  'GET /connections/:id': { params: paramsSchema('id'), reply: connectionSchema },
  'PATCH /connections/:id': {
    description: `Renames a connection or edits its editable parameters. ${CHANGE_RIGHT} ${DESTINATION_RULE} For OAuth connections a new destination means reauthorizing.`,
    params: paramsSchema('id'),
    body: {
      type: 'object',
      additionalProperties: false,
      properties: { name: { type: 'string', maxLength: 1024 }, parameters: parametersSchema },
    },
    reply: connectionSchema,
  },
  'POST /connections/:id/verify': {
    params: paramsSchema('id'),
    reply: {
      type: 'object',
      required: ['verified', 'connection'],
      properties: { verified: { type: 'boolean' }, connection: connectionSchema, error: errorSchema },
    },
  },
  'POST /connections/:id/reauthorize': {
    description: `Sends the connection through authorization again, keeping its id; new values take effect only on success. ${CHANGE_RIGHT} ${DESTINATION_RULE}`,
    params: paramsSchema('id'),
    body: {
      type: ['object', 'null'],
      additionalProperties: false,
      properties: {
        scopes: scopesSchema,
        parameters: parametersSchema,
        allowAccountChange: { type: 'boolean' },
        scenarioId: idSchema,
      },
    },
    // `connection` comes with kinds checked at once (API keys, Basic, client credentials): no browser step.
    reply: {
      type: 'object',
      required: ['authorizeUrl'],
      properties: { authorizeUrl: { type: ['string', 'null'] }, connection: connectionSchema },
    },
  },
  'DELETE /connections/:id': {
    description: `Deletes the connection and revokes it at the service. ${CHANGE_RIGHT}`,
    params: paramsSchema('id'),
    querystring: { type: 'object', additionalProperties: false, properties: { confirmed: { type: 'boolean' } } },
    status: 204,
  },
  'POST /connections/:id/replace': {
    params: paramsSchema('id'),
    body: { type: 'object', required: ['with'], additionalProperties: false, properties: { with: idSchema } },
    reply: { type: 'object', required: ['moved'], properties: { moved: usedBySchema } },
  },
} as const;
