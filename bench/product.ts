import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Hitch as people run it: the modules of dist/ (what `npm start` runs), typed as the sources they
 * are built from. Under tsx the sources carry the loader's extra work (a name set on every closure
 * made), which is not what a running Hitch pays; the benchmarks measure the build.
 */
export async function built<M>(module: string): Promise<M> {
  return (await import(pathToFileURL(path.join(root, 'dist', `${module}.js`)).href)) as M;
}

/** Builds dist/ when it is older than src/, as `npm start` and `npm test` do. */
export function buildIfStale(): void {
  const result = spawnSync(process.execPath, [path.join(root, 'scripts', 'build-server.mjs'), '--if-stale'], {
    stdio: 'inherit',
  });
  if (result.status !== 0) throw new Error('could not build the server into dist/');
}
