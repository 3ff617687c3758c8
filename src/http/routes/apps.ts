import type { FastifyPluginAsync } from 'fastify';
import { describeApp, summarizeApp } from '../../catalog/present.ts';
import { HitchError } from '../../errors.ts';
import { typedRoute } from '../typed-route.ts';

/** `/api/v1/apps`: the catalog as people browse it before connecting (schemas in ../contract/apps.ts). */
const appsRoutes: FastifyPluginAsync = async (app) => {
  const { catalog, config } = app.hitch;
  const redirectUri = `${config.publicUrl}/oauth/callback`;

  typedRoute(app, 'GET /apps', {}, async () => ({
    items: catalog
      .list()
      .map(summarizeApp)
      .sort((a, b) => a.name.localeCompare(b.name, 'en')),
  }));

  typedRoute(app, 'GET /apps/:id', {}, async (request) => {
    const found = catalog.get(request.params.id);
    if (!found)
      throw new HitchError('app_not_found', {
        message: `There is no app "${request.params.id.slice(0, 64)}": pick one from GET /api/v1/apps.`,
      });
    return describeApp(found, { redirectUri, platformClient: catalog.hasPlatformClient(found.id) });
  });
};

export default appsRoutes;
