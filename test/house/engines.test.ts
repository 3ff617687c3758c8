import fs from 'node:fs';
import semver from 'semver';
import { describe, expect, it } from 'vitest';

interface LockedPackage {
  version?: string;
  engines?: { node?: string } | string[];
  dev?: boolean;
}

const root = new URL('../../', import.meta.url);
const manifest = JSON.parse(fs.readFileSync(new URL('package.json', root), 'utf8')) as { engines: { node: string } };
const lock = JSON.parse(fs.readFileSync(new URL('package-lock.json', root), 'utf8')) as {
  packages: Record<string, LockedPackage>;
};

describe('Node versions', () => {
  // The oldest Node Hitch says it runs on: a dependency that refuses it makes `npm ci` warn there, and fail
  // under engine-strict, on a version the README promises.
  const oldest = semver.minVersion(manifest.engines.node)!.version;

  it('accepts the oldest Node in package.json engines in every installed package', () => {
    const refusing = Object.entries(lock.packages)
      .filter(([path]) => path !== '')
      .flatMap(([path, locked]) => {
        // npm once wrote engines as an array of strings; only the object form names a range for node.
        const range = Array.isArray(locked.engines) ? undefined : locked.engines?.node;
        return range && !semver.satisfies(oldest, range)
          ? [`${path}@${locked.version ?? '?'} wants node ${range}`]
          : [];
      });
    expect(refusing).toEqual([]);
  });

  it('reads every range it is given', () => {
    // A range semver cannot parse would pass the check above unseen: none may be there.
    const unreadable = Object.entries(lock.packages).flatMap(([path, locked]) => {
      const range = Array.isArray(locked.engines) ? undefined : locked.engines?.node;
      return range && semver.validRange(range) === null ? [`${path}: ${range}`] : [];
    });
    expect(oldest).toBe('20.19.0');
    expect(unreadable).toEqual([]);
  });
});
