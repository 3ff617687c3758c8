import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config.ts';
import { isHitchError } from '../../src/errors.ts';
import { loadMasterKey, masterKeyId } from '../../src/vault/master-key.ts';
import { createVault, openVault } from '../../src/vault/vault.ts';
import { dialects, type TestStore } from '../helpers/store.ts';
import { connectionSecrets, insertConnection, insertTeam, newMasterKey, storedSecrets } from './fixtures.ts';

describe.each(dialects)('master key on $name', ({ open }) => {
  let store: TestStore;
  let dir: string;

  beforeEach(async () => {
    store = await open();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hitch-key-'));
  });
  afterEach(async () => {
    await store.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('generates master.key readable by its owner only, and reuses it on the next start', async () => {
    const file = path.join(dir, 'data', 'master.key');
    const config = { masterKey: { generateAt: file }, previousMasterKeys: [] };

    const first = await openVault(config, store, { reloadIntervalMs: 0 });
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64')).toHaveLength(32);
    const id = await insertConnection(store, first, await insertTeam(store), { access_token: 'kept' });
    first.close();

    expect(loadMasterKey(config)).toEqual(loadMasterKey(config));
    const second = await openVault(config, store, { reloadIntervalMs: 0 });
    expect(second.masterKeyId()).toBe(first.masterKeyId());
    expect(await second.decryptJson(await storedSecrets(store, id), connectionSecrets(id))).toEqual({
      access_token: 'kept',
    });
    second.close();
  });

  it('reads HITCH_MASTER_KEY and HITCH_MASTER_KEY_FILE, and names the variable when a key is not usable', () => {
    const key = newMasterKey();
    expect(loadMasterKey({ masterKey: { base64: key.toString('base64') } })).toEqual(key);
    const file = path.join(dir, 'key.b64');
    fs.writeFileSync(file, `${key.toString('base64')}\n`);
    expect(loadMasterKey({ masterKey: { file } })).toEqual(key);

    fs.writeFileSync(file, 'too short');
    expect(() => loadMasterKey({ masterKey: { file } })).toThrow(ConfigError);
    expect(() => loadMasterKey({ masterKey: { file } })).toThrow(/HITCH_MASTER_KEY_FILE.*32 bytes/);
    expect(() => loadMasterKey({ masterKey: { file: path.join(dir, 'missing') } })).toThrow(
      /HITCH_MASTER_KEY_FILE.*does not exist/,
    );
  });

  it('refuses to start with the wrong master key and changes nothing', async () => {
    const right = newMasterKey();
    const vault = await createVault({ store, masterKey: right, reloadIntervalMs: 0 });
    const id = await insertConnection(store, vault, await insertTeam(store), { access_token: 'kept' });
    const before = await store.db.selectFrom('data_keys').selectAll().orderBy('id').execute();

    for (const attempt of [
      { masterKey: newMasterKey() },
      { masterKey: newMasterKey(), previousMasterKeys: [newMasterKey()] },
    ]) {
      const error = await createVault({ store, ...attempt, reloadIntervalMs: 0 }).catch((e: unknown) => e);
      expect(isHitchError(error, 'vault_key_unusable')).toBe(true);
      const message = (error as Error).message;
      expect(message).toContain('HITCH_MASTER_KEY');
      expect(message).toContain('HITCH_PREVIOUS_MASTER_KEYS');
      expect(message).toContain(masterKeyId(right));
      expect(message).not.toContain(right.toString('base64'));
    }
    expect(await store.db.selectFrom('data_keys').selectAll().orderBy('id').execute()).toEqual(before);

    const reopened = await createVault({ store, masterKey: right, reloadIntervalMs: 0 });
    expect(await reopened.decryptJson(await storedSecrets(store, id), connectionSecrets(id))).toEqual({
      access_token: 'kept',
    });
  });
});
