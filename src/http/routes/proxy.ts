import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { PROXY_ROUTES, type ProxyLane } from '../proxy-lane.ts';

/**
 * The proxy's routes as Fastify knows them, for `app.inject` and the list of
 * routes. A request from the network never gets here: the HTTP server hands the
 * proxy's addresses to the lane before Fastify (app.ts), and both ways end in the
 * same `lane.serve`; here Fastify's own hooks log and count the call.
 */
const proxyRoutes: FastifyPluginAsync<{ lane: ProxyLane }> = async (app, { lane }) => {
  // Every body passes through untouched, whatever its type: nothing is parsed here.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_request, payload, done) => {
    done(null, payload);
  });
  const handler = (request: FastifyRequest, reply: FastifyReply) => {
    reply.hijack();
    lane.serve(request.raw, reply.raw, { counted: true, reqId: request.id });
  };
  // The lane authenticates the API token itself and holds a scoped token to its connections and grants.
  const config = { auth: 'none', acceptsRestrictedTokens: true } as const;
  app.all(PROXY_ROUTES.exact, { config }, handler);
  app.all(PROXY_ROUTES.below, { config }, handler);
};

export default proxyRoutes;
