import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * HTTPS to a server whose certificate no public CA signed: refused by default,
 * accepted once NODE_EXTRA_CA_CERTS names it — proof we use Node's trust store.
 */
const HOST = 'secure.example';
let dir: string;
let server: https.Server;
let url: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'hitch-tls-'));
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      'key.pem',
      '-out',
      'cert.pem',
      '-days',
      '1',
      '-subj',
      `/CN=${HOST}`,
      '-addext',
      `subjectAltName=DNS:${HOST}`,
    ],
    { cwd: dir, stdio: 'ignore' },
  );
  server = https.createServer(
    { key: readFileSync(path.join(dir, 'key.pem')), cert: readFileSync(path.join(dir, 'cert.pem')) },
    (_req, res) => res.end('secure hello'),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `https://${HOST}:${(server.address() as AddressInfo).port}/`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

// Asynchronous, so the server in this process can answer while the child calls it.
async function callInChild(extraCa?: string): Promise<Record<string, unknown>> {
  const script = fileURLToPath(new URL('./fixtures/call-once.ts', import.meta.url));
  const env = { ...process.env };
  delete env.NODE_EXTRA_CA_CERTS;
  if (extraCa) env.NODE_EXTRA_CA_CERTS = extraCa;
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', script, url, HOST], {
    env,
    encoding: 'utf8',
  });
  return JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as Record<string, unknown>;
}

describe('TLS trust', () => {
  it('refuses a certificate no trusted CA signed, naming the host', async () => {
    const result = await callInChild();
    expect(result.code).toBe('upstream_unreachable');
    expect(String(result.message)).toContain(`TLS certificate of ${HOST}`);
  });

  it('accepts it when NODE_EXTRA_CA_CERTS names the certificate', async () => {
    expect(await callInChild(path.join(dir, 'cert.pem'))).toEqual({ status: 200, body: 'secure hello' });
  });
});
