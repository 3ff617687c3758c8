import swagger from '@fastify/swagger';
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import { SESSION_COOKIE } from '../session-cookie.ts';
import { API_DOCS_HTML, API_DOCS_CSS, API_DOCS_JS } from './openapi-page.ts';

/** Only the public API goes in the document: not health checks, callback pages or /metrics. */
const API_PREFIX = '/api/v1/';
const DOCUMENT_PATH = '/api/v1/openapi.json';

/**
 * Collects every route's schema as it is registered: call before the route
 * plugins. The schemas are the ones that validate requests and filter responses,
 * so the document cannot drift from what the server does.
 */
export function registerOpenApi(app: FastifyInstance, options: { publicUrl: string; version: string }): void {
  app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Hitch API',
        version: options.version,
        description:
          'Connections to third-party services, created, stored encrypted, renewed and used on your behalf. Errors are `{ error: { code, message, details? } }`.',
      },
      servers: [{ url: options.publicUrl }],
      components: {
        securitySchemes: {
          session: {
            type: 'apiKey',
            in: 'cookie',
            name: SESSION_COOKIE,
            description:
              'The browser session from POST /api/v1/auth/login; writes must also send a same-origin Origin header.',
          },
          token: { type: 'http', scheme: 'bearer', description: 'An API token from POST /api/v1/tokens.' },
        },
      },
      security: [{ session: [] }, { token: [] }],
    },
    transform: ({ schema, url }) => ({
      schema: { ...schema, hide: !url.startsWith(API_PREFIX) || url === DOCUMENT_PATH },
      url,
    }),
  });
}

/** `GET /api/v1/openapi.json` and the readable page at `/api/docs` (its script and style are files, for the strict CSP). */
const openApiRoutes: FastifyPluginAsync = async (app) => {
  app.get(DOCUMENT_PATH, { config: { auth: 'none' } }, async (_request, reply) => {
    reply.header('cache-control', 'no-cache');
    return app.swagger();
  });

  const asset = (path: string, type: string, body: string) =>
    app.get(path, { config: { auth: 'none' } }, async (_request, reply) => {
      reply.header('content-type', type).header('cache-control', 'no-cache');
      return body;
    });
  asset('/api/docs', 'text/html; charset=utf-8', API_DOCS_HTML);
  asset('/api/docs/docs.css', 'text/css; charset=utf-8', API_DOCS_CSS);
  asset('/api/docs/docs.js', 'text/javascript; charset=utf-8', API_DOCS_JS);
};

export default openApiRoutes;
