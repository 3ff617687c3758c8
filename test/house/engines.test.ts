import fs from 'node:fs';
import semver from 'semver';
import { describe, expect, it } from 'vitest';

interface LockedPackage {
  version?: string;
  engines?: { node?: string } | string[];
}

const root = new URL('../../', import.meta.url);
const manifest = JSON.parse(fs.readFileSync(new URL('package.json', root), 'utf8')) as { engines: { node: string } };
const lock = JSON.parse(fs.readFileSync(new URL('package-lock.json', root), 'utf8')) as {
  packages: Record<string, LockedPackage>;
};

/** Each package in the lock file that names a Node range, Hitch itself (path '') among them. */
const ranges = Object.entries(lock.packages).flatMap(([path, locked]) => {
  // npm once wrote engines as an array of strings; only the object form names a range for node.
  const range = Array.isArray(locked.engines) ? undefined : locked.engines?.node;
  return range ? [{ path, name: `${path}@${locked.version ?? '?'}`, range }] : [];
});

describe('Node versions', () => {
  // The oldest Node Hitch says it runs on: a dependency that refuses it makes `npm ci` warn there, and fail
  // under engine-strict, on a version the README promises.
  const oldest = semver.minVersion(manifest.engines.node)!.version;

  it('accepts the oldest Node in package.json engines in every installed package', () => {
    const refusing = ranges
      .filter(({ path, range }) => path !== '' && !semver.satisfies(oldest, range))
      .map(({ name, range }) => `${name} wants node ${range}`);
    expect(refusing).toEqual([]);
  });

  it('reads every range it is given', () => {
    // A range semver cannot parse would pass the check above unseen: none may be there.
    const unreadable = ranges
      .filter(({ range }) => semver.validRange(range) === null)
      .map(({ path, range }) => `${path}: ${range}`);
    expect(oldest).toBe('20.19.0');
    expect(unreadable).toEqual([]);
  });
});
