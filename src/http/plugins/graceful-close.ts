import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/**
 * While the server stops, answers to the requests still in flight carry
 * `Connection: close`, so their keep-alive connections end with the answer
 * instead of holding the stop until the client hangs up.
 */
async function gracefulClosePlugin(app: FastifyInstance): Promise<void> {
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (closing) reply.header('connection', 'close');
    done(null, payload);
  });
}

export default fp(gracefulClosePlugin, { name: 'hitch-graceful-close' });
