#!/usr/bin/env node
// `npm test`: arranges what the suite needs beyond npm packages, then runs it.
// Whatever cannot be arranged stops the run with one line saying what to do.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';

const pgUrl = new URL(process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test');

function reachable(host, port) {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port: Number(port), timeout: 3000 });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

if (!(await reachable(pgUrl.hostname, pgUrl.port || 5432))) {
  console.error(
    `PostgreSQL is not reachable at ${pgUrl.hostname}:${pgUrl.port || 5432}: start it (or set TEST_DATABASE_URL) and run npm test again.`,
  );
  process.exit(1);
}

// The browser tests (test/web) drive Debian's Chromium, never a test tool's own download.
if (!fs.existsSync('/usr/bin/chromium') && process.getuid?.() !== 0) {
  console.error(
    'Chromium is not installed at /usr/bin/chromium: run apt-get install chromium as root (or run npm test as root) and try again.',
  );
  process.exit(1);
}
if (!fs.existsSync('/usr/bin/chromium')) {
  console.log("Installing Debian's chromium for the browser tests…");
  const apt = (args) =>
    spawnSync('apt-get', args, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } })
      .status === 0;
  if (!(apt(['update']) && apt(['install', '-y', '--no-install-recommends', 'chromium']))) {
    console.error('Chromium could not be installed: run apt-get install chromium as root and run npm test again.');
    process.exit(1);
  }
}
if (!fs.existsSync('web/dist/index.html')) spawnSync('node', ['scripts/build-web.mjs'], { stdio: 'inherit' });
// The process tests start the built server (dist/), so what ships is what is tested: rebuilt when src/ is newer.
if (spawnSync('node', ['scripts/build-server.mjs', '--if-stale'], { stdio: 'inherit' }).status !== 0) process.exit(1);

const steps = [
  ['npx', ['tsc', '--noEmit', '-p', 'web']],
  ['npx', ['tsc', '--noEmit']],
  // oxlint (type-aware), React's hooks rules and Prettier's check: the habits the house keeps.
  ['npm', ['run', '--silent', 'lint']],
  ['npx', ['vitest', 'run', ...process.argv.slice(2)]],
];
for (const [cmd, args] of steps) {
  const result = spawnSync(cmd, args, { stdio: 'inherit', env: process.env });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
