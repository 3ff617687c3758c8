import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/** Where `npm run build:web` (and `npm install`'s prepare step) puts the web app. */
export const WEB_DIST_DIR = path.resolve(import.meta.dirname, '../../../web/dist');

/** The web app's own addresses: a reload or a shared link on any of them gets the app. */
const APP_PATHS = ['/', '/scenarios', '/scenarios/:id', '/connections', '/keys'];

/**
 * Serves the React app (web/) at `/`: the built files, and index.html for the
 * app's own paths so the browser's history routing survives a reload. Only
 * these paths: anything else (an API typo) still gets the JSON 404. Hashed
 * assets are cached for good; index.html never, so a new build shows at once.
 */
async function webAppPlugin(app: FastifyInstance, options: { root?: string }): Promise<void> {
  const root = options.root ?? WEB_DIST_DIR;
  if (!fs.existsSync(path.join(root, 'index.html'))) {
    app.log.warn({ root }, 'the web app is not built: run npm run build:web');
    for (const url of APP_PATHS) {
      app.get(url, { config: { auth: 'none' } }, async (_request, reply) =>
        reply.status(503).type('text/plain; charset=utf-8').send('The Hitch web app is not built yet: run "npm run build:web" and reload. The API works at /api/v1.'),
      );
    }
    return;
  }
  await app.register(fastifyStatic, {
    root,
    // Routes are ours, so they can say they need no sign-in: the app's files are public.
    serve: false,
    index: false,
    serveDotFiles: false,
    setHeaders(res, filePath) {
      res.setHeader('cache-control', filePath.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
  app.get<{ Params: { '*': string } }>('/assets/*', { config: { auth: 'none' } }, async (request, reply) => reply.sendFile(`assets/${request.params['*']}`));
  for (const url of APP_PATHS) {
    app.get(url, { config: { auth: 'none' } }, async (_request, reply) => reply.sendFile('index.html'));
  }
}

export default webAppPlugin;
