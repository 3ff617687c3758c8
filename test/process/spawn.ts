import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const REPO = path.resolve(import.meta.dirname, '../..');

/** The built entries (scripts/build-server.mjs), as `npm start` and `hitch` run them: what ships is what is tested. */
export const SERVER = 'dist/main.js';
export const CLI = 'dist/cli/main.js';

/** The environment without anything from this shell that would change Hitch's configuration. */
export function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!/^(HITCH_|DATABASE_URL$|PUBLIC_URL$|PORT$|HOST$|DATA_DIR$|LOG_LEVEL$)/.test(name)) env[name] = value;
  }
  return { ...env, ...extra };
}

export function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'hitch-process-'));
}

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export interface Spawned {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
  /** Resolves once stdout contains `text`; rejects if the process exits first. */
  waitFor(text: string): Promise<void>;
}

/** Runs `script` with Node: a built .js file with source maps, a .ts file through tsx. */
export function run(script: string, args: string[], env: NodeJS.ProcessEnv): Spawned {
  if (script.endsWith('.js') && !fs.existsSync(path.join(REPO, script)))
    throw new Error(`${script} is not built: run npm run build:server (npm test does it).`);
  const flags = script.endsWith('.ts') ? ['--import', 'tsx'] : ['--enable-source-maps'];
  return watch(
    spawn(process.execPath, [...flags, script, ...args], { cwd: REPO, env, stdio: ['ignore', 'pipe', 'pipe'] }),
  );
}

/** Collects a child's output, for a process started some other way (such as `npm start`). */
export function watch(child: ChildProcess): Spawned {
  let out = '';
  let err = '';
  const listeners = new Set<() => void>();
  child.stdout!.on('data', (chunk: Buffer) => {
    out += chunk.toString('utf8');
    for (const listener of listeners) listener();
  });
  child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    waitFor(text) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (out.includes(text)) {
            listeners.delete(check);
            resolve();
          }
        };
        listeners.add(check);
        check();
        void exited.then((code) => reject(new Error(`exited with ${code} before printing "${text}"; stderr: ${err}`)));
      });
    },
  };
}
