import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { RateLimitRule } from '../../accounts/rate-limit.ts';
import { HitchError } from '../../errors.ts';

/**
 * A route's rate limit: counted after the request is validated and before its handler runs.
 * Routes of the route map give it to `typedRoute` (../typed-route.ts), whose `key` then sees the
 * route's typed request; other routes set it as `config.rateLimit`.
 */
export interface RouteRateLimit<Request extends FastifyRequest = FastifyRequest> {
  rule: RateLimitRule;
  /** The counter this request counts against (per team, per address…). */
  key: (request: Request) => Promise<string> | string;
  /** Said with the 429, with how long to wait. */
  message: string;
}

/** Counts `request` against `limit`: a rate_limited error (429) once the window's count is spent. */
export async function countRequest<Request extends FastifyRequest>(
  request: Request,
  limit: RouteRateLimit<Request>,
): Promise<void> {
  const key = await limit.key(request);
  const now = Date.now();
  const counted = await request.server.hitch.accounts.hitRateLimit(key, limit.rule, now);
  if (!counted.allowed) {
    throw new HitchError('rate_limited', {
      message: limit.message,
      details: { retryAfterSeconds: Math.max(1, Math.ceil((counted.resetAt - now) / 1000)) },
    });
  }
}

/** Rate limits as route options: counters in the database, so every instance shares one count. */
async function rateLimitPlugin(app: FastifyInstance): Promise<void> {
  app.addHook('preHandler', (request, _reply, done) => {
    const limit = request.routeOptions.config.rateLimit;
    if (!limit) {
      done();
      return;
    }
    countRequest(request, limit).then(() => {
      done();
    }, done);
  });
}

export default fp(rateLimitPlugin, { name: 'hitch-rate-limit' });
