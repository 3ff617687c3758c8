#!/usr/bin/env node
// The installed `hitch` command: runs the TypeScript CLI through tsx, as `npm run hitch` does.
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('../src/cli/run.ts');
process.exitCode = await runCli(process.argv.slice(2), { out: process.stdout, err: process.stderr, env: process.env });
