import { runCli } from './run.ts';

/** `npm run hitch -- <command>`: see ./run.ts for the commands. */
process.exitCode = await runCli(process.argv.slice(2), { out: process.stdout, err: process.stderr, env: process.env });
