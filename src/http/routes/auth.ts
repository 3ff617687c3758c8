import type { FastifyPluginAsync } from 'fastify';
import { typedRoute } from '../typed-route.ts';
import { clearSessionCookie, sessionTokenOf, setSessionCookie } from '../session-cookie.ts';

/** Sign-in and sign-out with the session cookie. */
const authRoutes: FastifyPluginAsync = async (app) => {
  const { accounts, config } = app.hitch;
  const secureCookie = config.publicUrl.startsWith('https:');

  typedRoute(app, 'POST /auth/login', { config: { auth: 'none' } }, async (request, reply) => {
    const { session, ...account } = await accounts.signIn({
      email: request.body.email,
      password: request.body.password,
      ip: request.ip,
      previousSessionToken: sessionTokenOf(request),
    });
    setSessionCookie(reply, session.token, secureCookie);
    return account;
  });

  typedRoute(app, 'POST /auth/logout', { config: { auth: 'optional' } }, async (request, reply) => {
    const token = sessionTokenOf(request);
    if (token) await accounts.signOut(token);
    clearSessionCookie(reply, secureCookie);
  });
};

export default authRoutes;
