import fs from 'node:fs';

/**
 * What Hitch keeps on disk (the SQLite database with its WAL and SHM files, the
 * generated master key) is for the account Hitch runs as only: DATA_DIR 0700,
 * files 0600, whatever umask the process was started with.
 */
export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;
const PRIVATE_UMASK = 0o077;

export function makePrivateDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
}

/**
 * Runs `create` (synchronous, so nothing else runs meanwhile) with a umask that
 * gives new files no group or other permission, and restores the previous one.
 */
export function withPrivateUmask<T>(create: () => T): T {
  let previous: number | null = null;
  try {
    previous = process.umask(PRIVATE_UMASK);
  } catch {
    // Worker threads cannot change the umask; tightenFiles still applies afterwards.
  }
  try {
    return create();
  } finally {
    if (previous !== null) process.umask(previous);
  }
}

/** Makes existing files 0600 (an older version's database); a file that is missing or not ours is left as it is. */
export function tightenFiles(files: readonly string[]): void {
  for (const file of files) {
    try {
      if ((fs.statSync(file).mode & 0o777) !== PRIVATE_FILE_MODE) fs.chmodSync(file, PRIVATE_FILE_MODE);
    } catch {
      // Missing (no WAL yet) or owned by someone else: nothing Hitch can or should change.
    }
  }
}
