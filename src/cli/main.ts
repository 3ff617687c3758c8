import { runCli } from './run.ts';

// `hitch keys status | head`: when the reader goes away, stop as Unix tools do on SIGPIPE
// (which Node ignores), instead of dying of an unhandled EPIPE.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(0);
});

/** `npm run hitch -- <command>`: see ./run.ts for the commands. */
process.exitCode = await runCli(process.argv.slice(2), { out: process.stdout, err: process.stderr, env: process.env });
