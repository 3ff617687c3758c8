import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { RateLimitRule } from '../../accounts/rate-limit.ts';
import { HitchError } from '../../errors.ts';

/** A route's `config.rateLimit`: counted after the request is validated and before its handler runs. */
export interface RouteRateLimit {
  rule: RateLimitRule;
  /** The counter this request counts against (per team, per address…). */
  key(request: FastifyRequest): Promise<string> | string;
  /** Said with the 429, with how long to wait. */
  message: string;
}

/** Rate limits as route options: counters in the database, so every instance shares one count. */
async function rateLimitPlugin(app: FastifyInstance): Promise<void> {
  app.addHook('preHandler', async (request) => {
    const limit = request.routeOptions.config.rateLimit;
    if (!limit) return;
    const key = await limit.key(request);
    const now = Date.now();
    const counted = await app.hitch.accounts.hitRateLimit(key, limit.rule, now);
    if (!counted.allowed) {
      throw new HitchError('rate_limited', {
        message: limit.message,
        details: { retryAfterSeconds: Math.max(1, Math.ceil((counted.resetAt - now) / 1000)) },
      });
    }
  });
}

export default fp(rateLimitPlugin, { name: 'hitch-rate-limit' });
