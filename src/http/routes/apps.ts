import type { FastifyPluginAsync } from 'fastify';
import { describeApp, summarizeApp } from '../../catalog/present.ts';
import { HitchError } from '../../errors.ts';

const strings = { type: 'array', items: { type: 'string' } } as const;
const options = { type: 'array', items: { type: 'object', required: ['value', 'label'], properties: { value: { type: 'string' }, label: { type: 'string' } } } } as const;
const anyValue = {} as const;

const summarySchema = {
  type: 'object',
  required: ['id', 'name', 'category', 'auth', 'modules'],
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    category: { type: 'string' },
    auth: strings,
    modules: { type: 'array', items: { type: 'object', required: ['id', 'name', 'scopes'], properties: { id: { type: 'string' }, name: { type: 'string' }, scopes: strings } } },
  },
} as const;

const parameterSchema = {
  type: 'object',
  required: ['name', 'label', 'type', 'required', 'secret', 'advanced', 'editable', 'destination'],
  properties: {
    name: { type: 'string' },
    label: { type: 'string' },
    type: { type: 'string' },
    help: { type: 'string' },
    required: { type: 'boolean' },
    secret: { type: 'boolean' },
    advanced: { type: 'boolean' },
    editable: { type: 'boolean' },
    destination: { type: 'boolean' },
    pattern: { type: 'string' },
    options,
    default: anyValue,
  },
} as const;

const inputSchema = {
  type: 'object',
  required: ['name', 'label', 'type', 'required'],
  properties: { name: { type: 'string' }, label: { type: 'string' }, type: { type: 'string' }, required: { type: 'boolean' }, help: { type: 'string' }, default: anyValue, options },
} as const;

/** The response schema is a second guard: token URLs, quirks and environment values are not listed, so they cannot leave. */
const descriptionSchema = {
  type: 'object',
  required: ['id', 'name', 'category', 'auth', 'scopes', 'fullAccess', 'modules'],
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    category: { type: 'string' },
    docsUrl: { type: 'string' },
    authDocsUrl: { type: 'string' },
    scopesDocsUrl: { type: 'string' },
    logo: { type: 'string' },
    auth: {
      type: 'array',
      items: {
        type: 'object',
        required: ['type', 'parameters'],
        properties: {
          type: { type: 'string' },
          flow: { type: 'string' },
          redirectUri: { type: 'string' },
          platformClient: { type: 'boolean' },
          baseScopes: strings,
          parameters: { type: 'array', items: parameterSchema },
        },
      },
    },
    scopes: { type: 'array', items: { type: 'object', required: ['name', 'description'], properties: { name: { type: 'string' }, description: { type: 'string' } } } },
    fullAccess: { type: ['object', 'null'], properties: { docsUrl: { type: 'string' }, description: { type: 'string' } } },
    modules: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'name', 'scopes', 'inputs'],
        properties: { id: { type: 'string' }, name: { type: 'string' }, description: { type: 'string' }, scopes: strings, inputs: { type: 'array', items: inputSchema }, docsUrl: { type: 'string' } },
      },
    },
  },
} as const;

/** `/api/v1/apps`: the catalog as people browse it before connecting. */
const appsRoutes: FastifyPluginAsync = async (app) => {
  const { catalog, config } = app.hitch;
  const redirectUri = `${config.publicUrl}/oauth/callback`;

  app.get('/', { schema: { response: { 200: { type: 'object', required: ['items'], properties: { items: { type: 'array', items: summarySchema } } } } } }, async () => ({
    items: catalog
      .list()
      .map(summarizeApp)
      .sort((a, b) => a.name.localeCompare(b.name, 'en')),
  }));

  app.get<{ Params: { id: string } }>(
    '/:id',
    { schema: { params: { type: 'object', required: ['id'], properties: { id: { type: 'string', maxLength: 64 } } }, response: { 200: descriptionSchema } } },
    async (request) => {
      const found = catalog.get(request.params.id);
      if (!found) throw new HitchError('app_not_found', { message: `There is no app "${request.params.id.slice(0, 64)}": pick one from GET /api/v1/apps.` });
      return describeApp(found, { redirectUri, platformClient: catalog.hasPlatformClient(found.id) });
    },
  );
};

export default appsRoutes;
