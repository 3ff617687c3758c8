import { pageQueryProperties, pageSchema } from '../pagination.ts';
import { idSchema, paramsSchema } from '../schemas.ts';

/** A write an agent asked for with a token created with `approval: "writes"` (src/agents/approvals.ts). */
export const approvalSchema = {
  type: 'object',
  required: [
    'id',
    'teamId',
    'connectionId',
    'tokenName',
    'tool',
    'method',
    'path',
    'arguments',
    'status',
    'createdAt',
    'expiresAt',
    'decidedBy',
    'decidedAt',
    'result',
    'executionId',
  ],
  properties: {
    id: { type: 'string' },
    teamId: { type: 'string' },
    connectionId: { type: 'string' },
    tokenName: { type: 'string' },
    tool: { type: 'string' },
    method: { type: 'string' },
    /** The path below the connection's base URL the call would take (a module's pattern, or the path asked). */
    path: { type: 'string' },
    /** The tool's arguments as the agent gave them. */
    arguments: { type: 'object', additionalProperties: true },
    status: { type: 'string', enum: ['pending', 'approved', 'denied', 'expired'] },
    createdAt: { type: 'string' },
    expiresAt: { type: 'string' },
    decidedBy: { type: ['string', 'null'] },
    decidedAt: { type: ['string', 'null'] },
    /** Once an approved call ran: its tool result, redacted like every tool result. */
    result: {
      type: ['object', 'null'],
      required: ['isError', 'content'],
      properties: { isError: { type: 'boolean' }, content: {} },
    },
    executionId: { type: ['string', 'null'] },
  },
} as const;

/**
 * `/api/v1/approvals`: agents' writes waiting for a person. Members of the team
 * read them; its owners and admins decide, and an approved call runs once.
 */
export const approvalRoutes = {
  'GET /approvals': {
    querystring: {
      type: 'object',
      additionalProperties: false,
      properties: {
        teamId: idSchema,
        status: { type: 'string', enum: ['pending'] },
        ...pageQueryProperties,
      },
    },
    reply: pageSchema(approvalSchema),
  },
  'GET /approvals/:id': { params: paramsSchema('id'), reply: approvalSchema },
  'POST /approvals/:id': {
    params: paramsSchema('id'),
    body: {
      type: 'object',
      required: ['decision'],
      additionalProperties: false,
      properties: { decision: { type: 'string', enum: ['approve', 'deny'] } },
    },
    reply: approvalSchema,
  },
} as const;
