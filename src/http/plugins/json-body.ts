import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { HitchError } from '../../errors.ts';
import { MAX_JSON_DEPTH, nestsDeeperThan } from '../../json-depth.ts';

/**
 * Fastify's own JSON parser (same prototype-poisoning rules, same errors for an
 * empty or malformed body), behind a depth check: a body nested deeper than
 * MAX_JSON_DEPTH is a 400 before it is parsed, so no hook or handler ever sees
 * one and nothing downstream can recurse past the limit.
 */
async function jsonBodyPlugin(app: FastifyInstance): Promise<void> {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (nestsDeeperThan(body as string, MAX_JSON_DEPTH)) {
      done(
        new HitchError('validation_failed', {
          message: `The request body nests arrays and objects more than ${MAX_JSON_DEPTH} levels deep: send a flatter body.`,
        }),
        undefined,
      );
      return;
    }
    // The default parser is the callback form; its type is a union with the promise form, which returns nothing here.
    void parseJson(request, body as string, done);
  });
}

export default fp(jsonBodyPlugin, { name: 'hitch-json-body' });
