/**
 * DATA_DIR is created 0700, and the SQLite database, its WAL and SHM files and
 * the generated master key are 0600, whatever the umask Hitch was started with
 * (the usual 022 would leave the database readable by every local user). A
 * database left 0644 by an older version is tightened when it is opened.
 * SQLite only: PostgreSQL keeps its files itself.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { openDatabase } from '../../src/open-database.ts';
import { openVault } from '../../src/vault/vault.ts';

const modeOf = (file: string) => fs.statSync(file).mode & 0o777;

describe('file permissions in DATA_DIR', () => {
  let root: string;
  let umask: number;
  beforeAll(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'hitch-perms-'));
    // The common default, which would give 0755 folders and 0644 files.
    umask = process.umask(0o022);
  });
  afterAll(() => {
    process.umask(umask);
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('creates DATA_DIR 0700 and the database, WAL, SHM and master key 0600', async () => {
    const dataDir = path.join(root, 'fresh', 'data');
    const config = loadConfig({ DATA_DIR: dataDir });
    const store = await openDatabase(config, {});
    try {
      // A write, so the WAL and SHM files certainly exist.
      await sql`create table if not exists perms_probe (x integer)`.execute(store.db);
      await sql`insert into perms_probe values (1)`.execute(store.db);
      await store.point.byId('users', 'id', 'nobody');
      const vault = await openVault(config, store);
      vault.close();
      expect(modeOf(dataDir).toString(8)).toBe('700');
      for (const name of ['hitch.sqlite', 'hitch.sqlite-wal', 'hitch.sqlite-shm', 'master.key']) {
        expect(fs.existsSync(path.join(dataDir, name)), name).toBe(true);
        expect(modeOf(path.join(dataDir, name)).toString(8), name).toBe('600');
      }
    } finally {
      await store.close();
    }
    // Hitch's own umask change does not outlive the opening.
    // oxlint-disable-next-line typescript/no-deprecated -- reading the umask is the point; Node has no other way
    expect(process.umask()).toBe(0o022);
  });

  it('tightens a database an older version left readable by others', async () => {
    const dataDir = path.join(root, 'old');
    fs.mkdirSync(dataDir, { mode: 0o755 });
    const file = path.join(dataDir, 'hitch.sqlite');
    fs.writeFileSync(file, '');
    fs.chmodSync(file, 0o644);
    const store = await openDatabase(loadConfig({ DATA_DIR: dataDir }), {});
    try {
      await sql`select 1`.execute(store.db);
      expect(modeOf(file).toString(8)).toBe('600');
      expect(modeOf(`${file}-wal`).toString(8)).toBe('600');
    } finally {
      await store.close();
    }
  });
});
