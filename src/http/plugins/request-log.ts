import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { redactUrl } from '../../log.ts';

/**
 * One line per request, written by us instead of Fastify's default pair so the
 * URL goes through `redactUrl` (OAuth callbacks carry `code` and `state`) and no
 * headers are logged at all.
 */
async function requestLogPlugin(app: FastifyInstance): Promise<void> {
  app.addHook('onResponse', (request, reply, done) => {
    // Parsing the URL for redaction costs more than the proxying it logs; skip both when nobody listens.
    if (app.hitch.log.isLevelEnabled('info'))
      request.log.info(
        {
          method: request.method,
          url: redactUrl(request.url),
          statusCode: reply.statusCode,
          ms: Math.round(reply.elapsedTime),
        },
        'request',
      );
    done();
  });
}

export default fp(requestLogPlugin, { name: 'hitch-request-log' });
