import { emailSchema, idSchema, nameSchema, passwordSchema, roleSchema, userWithTeamsSchema } from '../schemas.ts';

/** `/api/v1/users`: instance administration; accounts are created by an administrator (there is no public sign-up). */
export const userRoutes = {
  'POST /users': {
    body: {
      type: 'object',
      required: ['email', 'password'],
      additionalProperties: false,
      properties: {
        email: emailSchema,
        password: passwordSchema,
        // A new team, owned by the new user…
        team: { type: 'object', required: ['name'], additionalProperties: false, properties: { name: nameSchema } },
        // …or an existing one, joined with `role` (default member).
        teamId: idSchema,
        role: roleSchema,
      },
    },
    status: 201,
    reply: userWithTeamsSchema,
  },
} as const;
