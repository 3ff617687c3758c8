#!/usr/bin/env node
// Builds the web app (web/) into web/dist, which the server serves at `/`.
// Run by `npm install` (prepare) and by `npm start` with --if-missing.
import fs from 'node:fs';
import path from 'node:path';

const webDir = path.resolve(import.meta.dirname, '../web');
if (process.argv.includes('--if-missing') && fs.existsSync(path.join(webDir, 'dist', 'index.html'))) process.exit(0);

const { build } = await import('vite');
await build({ configFile: path.join(webDir, 'vite.config.ts'), root: webDir, logLevel: 'warn' });
console.log('Built the web app into web/dist.');
