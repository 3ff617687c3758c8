/**
 * `hitch apps check DIR --stale`: a report of the app files whose facts are due a review
 * (no reviewedAt, a reviewedAt or an apiVersion older than six months), exit code 0 unless a file is broken.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { appsCommand } from '../../src/cli/commands/apps.ts';
import { staleBefore } from '../../src/catalog/stale.ts';
import type { Config } from '../../src/config.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function folder(apps: Array<Record<string, unknown>>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hitch-stale-'));
  dirs.push(dir);
  for (const app of apps) fs.writeFileSync(path.join(dir, `${String(app.id)}.json`), JSON.stringify(app));
  return dir;
}

function app(id: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id,
    name: id,
    connections: [
      {
        type: 'apiKey',
        keys: [{ parameter: 'key', name: 'X-Key' }],
        baseUrl: 'https://api.example.com',
        parameters: [{ name: 'key', label: 'Key', secret: true }],
      },
    ],
    ...extra,
  };
}

function check(dir: string, today: string, stale = true) {
  let text = '';
  const out = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  const args = ['check', dir, ...(stale ? ['--stale'] : [])];
  const code = appsCommand(args, { config: () => ({}) as Config, out, today: new Date(`${today}T12:00:00Z`) });
  return { code, text };
}

describe('apps check --stale', () => {
  it('counts six calendar months back, clamped to the end of a shorter month', () => {
    expect(staleBefore(new Date('2026-12-02T00:00:00Z'))).toBe('2026-06-02');
    expect(staleBefore(new Date('2026-08-31T00:00:00Z'))).toBe('2026-02-28');
    expect(staleBefore(new Date('2026-03-15T00:00:00Z'))).toBe('2025-09-15');
  });

  it('lists apps never reviewed, reviewed too long ago, or with an old API version, and exits 0', () => {
    const dir = folder([
      app('fresh', {
        reviewedAt: '2026-12-02',
        apiVersion: { value: '2026-10', chosenAt: '2026-11-30' },
        headers: { 'X-Version': '{{apiVersion}}' },
      }),
      app('edge', { reviewedAt: '2026-06-02' }),
      app('old-review', { reviewedAt: '2026-06-01' }),
      app('never'),
      app('old-version', {
        reviewedAt: '2026-12-01',
        apiVersion: { value: 'v58.0', chosenAt: '2025-01-10' },
        headers: { 'X-Version': '{{apiVersion}}' },
      }),
    ]);
    const { code, text } = check(dir, '2026-12-02');
    expect(code).toBe(0);
    expect(text).toContain('5 apps, every one valid');
    expect(text).toContain('3 apps not reviewed for 6 months (before 2026-06-02):');
    expect(text).toMatch(/ never +never reviewed \(no reviewedAt\)\n/);
    expect(text).toMatch(/ old-review +not reviewed since 2026-06-01\n/);
    expect(text).toMatch(/ old-version +API version v58\.0 chosen 2025-01-10\n/);
    expect(text).not.toMatch(/ fresh | edge /);
  });

  it('says so when nothing is stale, and reports nothing without the flag', () => {
    const dir = folder([app('fresh', { reviewedAt: '2026-12-02' })]);
    expect(check(dir, '2026-12-02').text).toContain(
      'Every app was reviewed, and chose its API version, on or after 2026-06-02.',
    );
    expect(check(dir, '2026-12-02', false).text).toBe(`${dir}: 1 app, every one valid\n`);
  });

  it('still fails on a broken file, with its problems and no report', () => {
    const dir = folder([app('never'), { id: 'broken', name: 'Broken', connections: [] }]);
    const { code, text } = check(dir, '2026-12-02');
    expect(code).toBe(1);
    expect(text).toContain('broken.json');
    expect(text).not.toContain('not reviewed');
  });
});
