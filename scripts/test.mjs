#!/usr/bin/env node
// `npm test`: arranges what the suite needs beyond npm packages, then runs it.
// Whatever cannot be arranged stops the run with one line saying what to do.
import { spawnSync } from 'node:child_process';
import net from 'node:net';

const pgUrl = new URL(process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test');

function reachable(host, port) {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port: Number(port), timeout: 3000 });
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => { socket.destroy(); resolve(false); });
  });
}

if (!(await reachable(pgUrl.hostname, pgUrl.port || 5432))) {
  console.error(`PostgreSQL is not reachable at ${pgUrl.hostname}:${pgUrl.port || 5432}: start it (or set TEST_DATABASE_URL) and run npm test again.`);
  process.exit(1);
}

const steps = [
  ['npx', ['tsc', '--noEmit']],
  ['npx', ['vitest', 'run', ...process.argv.slice(2)]],
];
for (const [cmd, args] of steps) {
  const result = spawnSync(cmd, args, { stdio: 'inherit', env: process.env });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
