import type { FastifyPluginAsync } from 'fastify';
import { HitchError } from '../../errors.ts';

const statusSchema = { type: 'object', required: ['status'], properties: { status: { type: 'string' } } } as const;

/** Liveness (the process answers) and readiness (the database answers too), for load balancers and orchestrators. */
const healthRoutes: FastifyPluginAsync = async (app) => {
  app.get('/healthz', { config: { auth: 'none' }, schema: { response: { 200: statusSchema } } }, async () => ({
    status: 'ok',
  }));

  app.get('/readyz', { config: { auth: 'none' }, schema: { response: { 200: statusSchema } } }, async () => {
    if (!(await app.hitch.database.ping()))
      throw new HitchError('unavailable', { message: 'The database does not answer.' });
    return { status: 'ok' };
  });
};

export default healthRoutes;
