#!/usr/bin/env node
// `npm start`: builds what is missing (the web app into web/dist, the server
// into dist/ when it is missing or older than src/), then runs dist/main.js in
// this very process, so the signals a process manager sends to `npm start`
// (which npm passes on to its one child) reach Hitch itself.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { serverBuildIsStale } from './build-server.mjs';

const root = path.resolve(import.meta.dirname, '..');

function build(script) {
  // A child process, so nothing of the build tools stays in Hitch's memory.
  const result = spawnSync(process.execPath, [path.join(root, 'scripts', script)], { stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

if (!fs.existsSync(path.join(root, 'web', 'dist', 'index.html'))) build('build-web.mjs');
if (serverBuildIsStale()) build('build-server.mjs');

process.setSourceMapsEnabled(true);
await import('../dist/main.js');
