import { spawnSync } from 'node:child_process';
import path from 'node:path';

/**
 * Once per Vitest run, before any test file: the process tests start the
 * built server (dist/), so it is rebuilt when src/ changed since, also for a
 * plain `npx vitest run` that skips scripts/test.mjs. Takes well under a second.
 */
export default function setup(): void {
  const script = path.resolve(import.meta.dirname, '../scripts/build-server.mjs');
  const result = spawnSync(process.execPath, [script, '--if-stale'], { stdio: 'inherit' });
  if (result.status !== 0) throw new Error('The server build (scripts/build-server.mjs) failed: see above.');
}
