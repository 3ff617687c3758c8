/** JSON schemas shared by several routes. Responses have schemas too, so no stray field (a hash, a secret) can leave. */

export const emailSchema = { type: 'string', minLength: 3, maxLength: 254, pattern: '^[^\\s@]+@[^\\s@]+$' } as const;
/** Long enough to be worth having; bounded so hashing stays cheap. */
export const passwordSchema = { type: 'string', minLength: 8, maxLength: 1024 } as const;
export const nameSchema = { type: 'string', minLength: 1, maxLength: 200 } as const;
export const roleSchema = { type: 'string', enum: ['owner', 'admin', 'member'] } as const;
export const idSchema = { type: 'string', maxLength: 64 } as const;

export const userSchema = {
  type: 'object',
  required: ['id', 'email', 'isAdmin'],
  properties: { id: { type: 'string' }, email: { type: 'string' }, isAdmin: { type: 'boolean' } },
} as const;

export const teamMembershipSchema = {
  type: 'object',
  required: ['id', 'name', 'role'],
  properties: { id: { type: 'string' }, name: { type: 'string' }, role: roleSchema },
} as const;

export const userWithTeamsSchema = {
  type: 'object',
  required: ['user', 'teams'],
  properties: { user: userSchema, teams: { type: 'array', items: teamMembershipSchema } },
} as const;

export const memberSchema = {
  type: 'object',
  required: ['userId', 'email', 'role', 'createdAt'],
  properties: {
    userId: { type: 'string' },
    email: { type: 'string' },
    role: roleSchema,
    createdAt: { type: 'integer' },
  },
} as const;

/** An endpoint pattern (src/connections/grants.ts): `origin` absent means below the connection's base URL. */
export const endpointPatternSchema = {
  type: 'object',
  required: ['method', 'path'],
  properties: {
    method: { type: 'string' },
    origin: { type: 'string' },
    path: { type: 'string' },
  },
} as const;

/** What a scoped API token may do; null for a token with the user's full rights. */
const tokenRestrictionSchema = {
  type: ['object', 'null'],
  required: ['teamId', 'connections', 'readOnly', 'scenarioId', 'approval'],
  properties: {
    teamId: { type: ['string', 'null'] },
    /** Each connection the token may use, with its endpoint patterns; null: every connection of the team(s). */
    connections: {
      type: ['object', 'null'],
      additionalProperties: { type: 'array', items: endpointPatternSchema },
    },
    readOnly: { type: 'boolean' },
    scenarioId: { type: ['string', 'null'] },
    /** `writes`: the token's writes wait for a person (MCP server only). */
    approval: { type: ['string', 'null'], enum: ['writes', null] },
  },
} as const;

/** A personal API token as listed: never its value. */
export const apiTokenSchema = {
  type: 'object',
  required: ['id', 'name', 'createdAt', 'lastUsedAt', 'expiresAt', 'restrictions'],
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    createdAt: { type: 'integer' },
    lastUsedAt: { type: ['integer', 'null'] },
    expiresAt: { type: ['integer', 'null'] },
    restrictions: tokenRestrictionSchema,
  },
} as const;

/** Route params `:id` (and `:userId`): any text; ids that are not UUIDs answer 404 in the handler. */
export function paramsSchema<const K extends string>(...names: K[]) {
  return {
    type: 'object',
    required: names,
    properties: Object.fromEntries(names.map((n) => [n, idSchema])) as Record<K, typeof idSchema>,
  } as const;
}
