import http from 'node:http';
import { PassThrough } from 'node:stream';
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/log.ts';
import { startHitch } from '../../src/server.ts';
import { freePort, tempDir } from './spawn.ts';

async function startWith(env: Record<string, string>) {
  const dataDir = tempDir();
  const out = new PassThrough();
  let printed = '';
  out.on('data', (chunk: Buffer) => (printed += chunk.toString('utf8')));
  const hitch = await startHitch(loadConfig({ DATA_DIR: dataDir, PORT: String(await freePort()), ...env }), {
    log: createLogger('silent'),
    out,
  });
  return { hitch, printed: () => printed, dataDir };
}

describe('startHitch', () => {
  it('runs only background jobs with HITCH_ROLE=worker', async () => {
    const { hitch, printed, dataDir } = await startWith({ HITCH_ROLE: 'worker' });
    try {
      expect(hitch.app).toBeNull();
      expect(printed()).toContain('Hitch is running background jobs');
      expect(await hitch.services.store.ping()).toBe(true);
    } finally {
      await hitch.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
    // Closed means closed: the database handle no longer answers.
    expect(await hitch.services.store.ping()).toBe(false);
  });

  it('serves HTTP with HITCH_ROLE=web and lets an in-flight request finish on close', async () => {
    const { hitch, dataDir } = await startWith({ HITCH_ROLE: 'web' });
    try {
      const body = JSON.stringify({ email: 'nobody@example.com', password: 'not a password' });
      const received = new Promise((resolve) => hitch.app!.server.once('request', resolve));
      const request = http.request(`${hitch.services.config.publicUrl}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      });
      const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
        request.on('response', (res) => {
          let text = '';
          res.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
        });
        request.on('error', reject);
      });
      // Half the body is sent when the stop begins; the request still gets its answer.
      request.write(body.slice(0, 10));
      await received;
      const closing = hitch.close();
      request.end(body.slice(10));
      const answered = await response;
      expect(answered.status).toBe(401);
      expect(JSON.parse(answered.body).error.code).toBe('invalid_credentials');
      await closing;
    } finally {
      await hitch.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
