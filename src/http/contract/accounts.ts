import { emailSchema, passwordSchema, userWithTeamsSchema } from '../schemas.ts';

const notificationSchema = {
  type: 'object',
  required: ['id', 'kind', 'teamId', 'connectionId', 'connectionName', 'app', 'message', 'renewBy', 'at'],
  properties: {
    id: { type: 'string' },
    kind: { type: 'string', enum: ['reauthorization_required', 'failing', 'renew_by', 'approval_requested'] },
    /** For `approval_requested`: the approval to decide (POST /api/v1/approvals/:id). */
    approvalId: { type: 'string' },
    teamId: { type: 'string' },
    connectionId: { type: 'string' },
    connectionName: { type: 'string' },
    app: { type: 'string' },
    message: { type: 'string' },
    renewBy: { type: ['string', 'null'] },
    at: { type: 'string' },
  },
} as const;

/** Signing in and out, the signed-in user, and what needs their attention. */
export const accountRoutes = {
  'POST /auth/login': {
    body: {
      type: 'object',
      required: ['email', 'password'],
      additionalProperties: false,
      // The password is not length-checked here: a wrong one gets the same answer whatever its length.
      properties: { email: emailSchema, password: { type: 'string', maxLength: 1024 } },
    },
    reply: userWithTeamsSchema,
  },
  'POST /auth/logout': { status: 204 },
  'GET /me': { reply: userWithTeamsSchema },
  'POST /me/password': {
    body: {
      type: 'object',
      required: ['currentPassword', 'newPassword'],
      additionalProperties: false,
      properties: { currentPassword: { type: 'string', maxLength: 1024 }, newPassword: passwordSchema },
    },
    // API tokens survive a password change; the person is told how many, to revoke any they no longer trust.
    reply: {
      type: 'object',
      required: ['apiTokens'],
      additionalProperties: false,
      properties: { apiTokens: { type: 'integer', minimum: 0 } },
    },
  },
  'GET /notifications': {
    reply: { type: 'object', required: ['items'], properties: { items: { type: 'array', items: notificationSchema } } },
  },
} as const;
