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
  app.addHook('onSend', async (_request, reply, payload) => {
    if (closing) reply.header('connection', 'close');
    return payload;
  });
}

export default fp(gracefulClosePlugin, { name: 'hitch-graceful-close' });
