/**
 * HITCH_DANGEROUSLY_CRASH_AT kills Hitch on purpose, so it is accepted only
 * under NODE_ENV=test: anywhere else the process stops at start with one line
 * naming the variable and exit code 1, before it opens anything.
 */
import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { cleanEnv, freePort, run, SERVER, tempDir, type Spawned } from './spawn.ts';

const started: Spawned[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const s of started.splice(0)) if (s.child.exitCode === null) s.child.kill('SIGKILL');
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe('HITCH_DANGEROUSLY_CRASH_AT', () => {
  it('is accepted under NODE_ENV=test only', () => {
    expect(loadConfig({ NODE_ENV: 'test', HITCH_DANGEROUSLY_CRASH_AT: 'refresh:after-write' }).dangerouslyCrashAt).toBe(
      'refresh:after-write',
    );
    for (const nodeEnv of [undefined, '', 'production', 'development', 'TEST', 'testing']) {
      const env = {
        HITCH_DANGEROUSLY_CRASH_AT: 'refresh:after-write',
        ...(nodeEnv === undefined ? {} : { NODE_ENV: nodeEnv }),
      };
      let error: unknown;
      try {
        loadConfig(env);
      } catch (e) {
        error = e;
      }
      expect(error, String(nodeEnv)).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).variable).toBe('HITCH_DANGEROUSLY_CRASH_AT');
      expect((error as ConfigError).message).toMatch(/NODE_ENV=test/);
    }
    expect(loadConfig({ NODE_ENV: 'production' }).dangerouslyCrashAt).toBeNull();
  });

  for (const nodeEnv of ['production', '']) {
    it(
      `stops the real process with one line and exit code 1 when NODE_ENV is "${nodeEnv}"`,
      { timeout: 60_000 },
      async () => {
        const dataDir = tempDir();
        dirs.push(dataDir);
        const hitch = run(
          SERVER,
          [],
          cleanEnv({
            DATA_DIR: dataDir,
            PORT: String(await freePort()),
            NODE_ENV: nodeEnv,
            HITCH_DANGEROUSLY_CRASH_AT: 'callback:after-write',
          }),
        );
        started.push(hitch);
        expect(await hitch.exited).toBe(1);
        const lines = hitch.stderr().split('\n').filter(Boolean);
        expect(lines).toHaveLength(1);
        expect(lines[0]).toMatch(/^hitch: HITCH_DANGEROUSLY_CRASH_AT\b/);
        expect(hitch.stdout()).not.toContain('listening');
        // Refused before anything was opened or created.
        expect(fs.readdirSync(dataDir)).toEqual([]);
      },
    );
  }
});
