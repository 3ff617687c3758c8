import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyError, FastifyInstance } from 'fastify';
import { HitchError } from '../../errors.ts';
import { sendError } from './errors.ts';

/** Where `npm run build:web` (and `npm install`'s prepare step) puts the web app. */
export const WEB_DIST_DIR = path.resolve(import.meta.dirname, '../../../web/dist');

/**
 * What a built asset's path looks like: names of letters, digits, `_`, `-` and
 * dots, never starting with a dot, in plain folders. Anything else (`..` in
 * any encoding, a backslash, a NUL, a dot file) names no asset, so it is a 404
 * before the file system is asked.
 */
const ASSET_PATH = /^[\w-][\w.-]*(?:\/[\w-][\w.-]*)*$/;

/** The web app's own addresses: a reload or a shared link on any of them gets the app. */
const APP_PATHS = ['/', '/scenarios', '/scenarios/:id', '/connections', '/connections/:id', '/keys', '/approvals'];

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
        reply
          .status(503)
          .type('text/plain; charset=utf-8')
          .send('The Hitch web app is not built yet: run "npm run build:web" and reload. The API works at /api/v1.'),
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
      res.setHeader(
        'cache-control',
        filePath.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache',
      );
    },
  });
  // A file that cannot be sent (a directory, a name the file system refuses) is, to the browser, not there.
  // Scoped to this plugin's routes; anything that is not a file error goes on to the app's handler.
  app.setErrorHandler((error: FastifyError & { status?: number }, request, reply) => {
    const status = error.statusCode ?? error.status;
    if (error instanceof HitchError || status === undefined) throw error;
    if (status >= 500) request.log.warn({ err: error }, 'a web app file could not be sent');
    return sendError(reply, new HitchError('not_found'));
  });
  app.get<{ Params: { '*': string } }>('/assets/*', { config: { auth: 'none' } }, async (request, reply) => {
    const name = request.params['*'];
    if (!ASSET_PATH.test(name)) throw new HitchError('not_found');
    return reply.sendFile(`assets/${name}`);
  });
  for (const url of APP_PATHS) {
    app.get(url, { config: { auth: 'none' } }, async (_request, reply) => reply.sendFile('index.html'));
  }
}

export default webAppPlugin;
