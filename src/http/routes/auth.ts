import type { FastifyPluginAsync } from 'fastify';
import { emailSchema, userWithTeamsSchema } from '../schemas.ts';
import { clearSessionCookie, sessionTokenOf, setSessionCookie } from '../session-cookie.ts';

interface LoginBody {
  email: string;
  password: string;
}

/** Sign-in and sign-out with the session cookie. */
const authRoutes: FastifyPluginAsync = async (app) => {
  const { accounts, config } = app.hitch;
  const secureCookie = config.publicUrl.startsWith('https:');

  app.post<{ Body: LoginBody }>(
    '/login',
    {
      config: { auth: 'none' },
      schema: {
        body: {
          type: 'object',
          required: ['email', 'password'],
          additionalProperties: false,
          // The password is not length-checked here: a wrong one gets the same answer whatever its length.
          properties: { email: emailSchema, password: { type: 'string', maxLength: 1024 } },
        },
        response: { 200: userWithTeamsSchema },
      },
    },
    async (request, reply) => {
      const { session, ...account } = await accounts.signIn({
        email: request.body.email,
        password: request.body.password,
        ip: request.ip,
        previousSessionToken: sessionTokenOf(request),
      });
      setSessionCookie(reply, session.token, secureCookie);
      return account;
    },
  );

  app.post('/logout', { config: { auth: 'optional' } }, async (request, reply) => {
    const token = sessionTokenOf(request);
    if (token) await accounts.signOut(token);
    clearSessionCookie(reply, secureCookie);
    return reply.status(204).send();
  });
};

export default authRoutes;
