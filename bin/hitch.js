#!/usr/bin/env node
// The installed `hitch` command (and `npm run hitch`): runs the built CLI in dist/,
// building it first when dist/ is missing or older than src/.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { serverBuildIsStale } from '../scripts/build-server.mjs';

if (serverBuildIsStale()) {
  // The build's own line goes to stderr: stdout is the command's answer (JSON for some).
  const result = spawnSync(process.execPath, [path.join(import.meta.dirname, '..', 'scripts', 'build-server.mjs')], {
    stdio: ['ignore', 2, 2],
  });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
process.setSourceMapsEnabled(true);
const { runCli } = await import('../dist/cli/run.js');
process.exitCode = await runCli(process.argv.slice(2), { out: process.stdout, err: process.stderr, env: process.env });
