import type { FastifyInstance, FastifyReply, FastifyRequest, RouteShorthandOptions } from 'fastify';
import { countRequest, type RouteRateLimit } from './plugins/rate-limit.ts';
import {
  routeMap,
  type BodyOf,
  type ParamsOf,
  type QueryOf,
  type ReplyOf,
  type RouteKey,
  type RouteSchemas,
} from './route-map.ts';

/** Where the route map's paths are mounted. */
const API_BASE = '/api/v1';

export type TypedRequest<K extends RouteKey> = FastifyRequest<{
  Params: ParamsOf<K>;
  Querystring: QueryOf<K>;
  Body: BodyOf<K>;
}>;

export interface TypedRouteOptions<K extends RouteKey> {
  config?: RouteShorthandOptions['config'];
  /** Counted once the request is validated, so `key` reads the route's typed params and body. */
  rateLimit?: RouteRateLimit<TypedRequest<K>>;
}

/**
 * Registers the route-map entry `key` in a plugin mounted under its resource's
 * prefix: method and path from the key, schemas from the entry. The handler
 * returns the reply's type (checked against the reply schema at compile time);
 * the entry's status is set here, and a 204 sends no body.
 */
export function typedRoute<K extends RouteKey>(
  app: FastifyInstance,
  key: K,
  options: TypedRouteOptions<K>,
  handler: (request: TypedRequest<K>, reply: FastifyReply) => Promise<ReplyOf<K>>,
): void {
  const entry: RouteSchemas = routeMap[key];
  // Every key is `'<METHOD> <path>'`.
  const space = key.indexOf(' ');
  const method = key.slice(0, space);
  const path = key.slice(space + 1);
  const full = `${API_BASE}${path}`;
  if (!full.startsWith(app.prefix)) throw new TypeError(`${key} does not belong under ${app.prefix}`);
  const url = full.slice(app.prefix.length) || '/';
  const status = entry.status ?? 200;
  const { rateLimit } = options;
  app.route<{ Params: ParamsOf<K>; Querystring: QueryOf<K>; Body: BodyOf<K> }>({
    method,
    url,
    ...(options.config ? { config: options.config } : {}),
    // The route's own preHandler: after validation, before the handler, as for `config.rateLimit`.
    ...(rateLimit ? { preHandler: async (request) => countRequest(request, rateLimit) } : {}),
    schema: {
      ...(entry.description ? { description: entry.description } : {}),
      ...(entry.params ? { params: entry.params } : {}),
      ...(entry.querystring ? { querystring: entry.querystring } : {}),
      ...(entry.body ? { body: entry.body } : {}),
      ...(entry.reply ? { response: { [status]: entry.reply } } : {}),
    },
    handler: async (request, reply) => {
      const result = await handler(request, reply);
      if (status === 204) return reply.status(204).send();
      reply.status(status);
      return result;
    },
  });
}
