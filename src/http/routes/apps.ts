import type { FastifyPluginAsync } from 'fastify';
import { describeApp, summarizeApp } from '../../catalog/present.ts';
import { appJsonSchema } from '../../catalog/json-schema.ts';
import { HitchError } from '../../errors.ts';
import { ModuleRegistry } from '../../scenarios/modules/registry.ts';
import { typedRoute } from '../typed-route.ts';

/** `/api/v1/apps`: the catalog as people browse it before connecting (schemas in ../contract/apps.ts). */
const appsRoutes: FastifyPluginAsync = async (app) => {
  const { catalog, config } = app.hitch;
  const redirectUri = `${config.publicUrl}/oauth/callback`;
  // The one list of an app's modules, as GET /modules gives it: HTTP's built-in requests and "Make an API call" included.
  const registry = new ModuleRegistry(catalog);
  const modulesOf = (id: string) => registry.modulesOf(id) ?? [];
  const schema = appJsonSchema();

  typedRoute(app, 'GET /apps', {}, async () => ({
    items: catalog
      .list()
      .map((found) => summarizeApp(found, modulesOf(found.id)))
      .sort((a, b) => a.name.localeCompare(b.name, 'en')),
  }));

  typedRoute(app, 'GET /apps/:id', {}, async (request) => {
    const found = catalog.get(request.params.id);
    if (!found)
      throw new HitchError('app_not_found', {
        message: `There is no app "${request.params.id.slice(0, 64)}": pick one from GET /api/v1/apps.`,
      });
    return describeApp(
      found,
      { redirectUri, platformClient: catalog.hasPlatformClient(found.id) },
      modulesOf(found.id),
    );
  });

  /** The JSON Schema of an app file (apps/schema.json), for editors and HITCH_APPS_DIR authors. */
  typedRoute(app, 'GET /apps/schema.json', {}, async () => schema);
};

export default appsRoutes;
