import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { keysCommand } from '../../src/cli/commands/keys.ts';
import { loadConfig } from '../../src/config.ts';
import { createVault } from '../../src/vault/vault.ts';
import type { Vault, VaultAdmin } from '../../src/vault/types.ts';
import { dialects, type TestStore } from '../helpers/store.ts';
import { connectionSecrets, insertConnection, insertTeam, newMasterKey, storedSecrets } from './fixtures.ts';

describe.each(dialects)('hitch keys on $name', ({ open }) => {
  let store: TestStore;
  let vault: Vault & VaultAdmin;
  const masterKey = newMasterKey();
  const config = loadConfig({ HITCH_MASTER_KEY: masterKey.toString('base64') });

  async function run(...args: string[]): Promise<{ code: number; output: string }> {
    const out = new PassThrough();
    let output = '';
    out.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    const code = await keysCommand(args, { config, store, vault, out });
    return { code, output };
  }

  beforeEach(async () => {
    store = await open();
    vault = await createVault({ store, masterKey, reloadIntervalMs: 0 });
  });
  afterEach(async () => {
    vault.close();
    await store.destroy();
  });

  it('rotates, re-encrypts every secret and shows the counts per data key', async () => {
    const teamId = await insertTeam(store);
    const ids = [];
    for (let i = 0; i < 5; i++) ids.push(await insertConnection(store, vault, teamId, { access_token: `token-${i}` }));
    const oldKey = vault.currentKeyId();

    const before = await run('status');
    expect(before.code).toBe(0);
    expect(before.output).toMatch(new RegExp(`${oldKey}.*\\(current\\)\\s+5\\s+← current`));

    const rotated = await run('rotate');
    expect(rotated.code).toBe(0);
    const newKey = vault.currentKeyId();
    expect(rotated.output).toContain(`Created data key ${newKey}`);
    expect(rotated.output).toContain(`Re-encrypted 5 of 5 secrets with data key ${newKey}.`);
    for (const [i, id] of ids.entries()) {
      expect(vault.keyIdOf(await storedSecrets(store, id))).toBe(newKey);
      expect(await vault.decryptJson(await storedSecrets(store, id), connectionSecrets(id))).toEqual({
        access_token: `token-${i}`,
      });
    }

    const after = await run('status');
    expect(after.output).toMatch(new RegExp(`${oldKey}.*\\s0\\n`));
    expect(after.output).toMatch(new RegExp(`${newKey}.*\\s5\\s+← current`));
    expect(after.output).not.toContain('token-');
  });

  it('rewraps under a new master key and tells the operator when the old one can go', async () => {
    const newMaster = newMasterKey();
    const during = await createVault({
      store,
      masterKey: newMaster,
      previousMasterKeys: [masterKey],
      reloadIntervalMs: 0,
    });
    const out = new PassThrough();
    let output = '';
    out.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    const duringConfig = loadConfig({
      HITCH_MASTER_KEY: newMaster.toString('base64'),
      HITCH_PREVIOUS_MASTER_KEYS: masterKey.toString('base64'),
    });
    expect(await keysCommand(['status'], { config: duringConfig, store, vault: during, out })).toBe(0);
    expect(output).toContain('(previous)');
    expect(output).toContain('run "hitch keys rewrap"');
    expect(await keysCommand(['rewrap'], { config: duringConfig, store, vault: during, out })).toBe(0);
    expect(output).toContain(`Re-wrapped 1 data key with master key ${during.masterKeyId()}.`);
    expect(output).toContain('remove HITCH_PREVIOUS_MASTER_KEYS');
  });

  it('answers an unknown subcommand with usage and exit code 2', async () => {
    const result = await run('spin');
    expect(result.code).toBe(2);
    expect(result.output).toContain('Unknown command "keys spin"');
    expect(result.output).toContain('rotate');
    expect((await run()).code).toBe(2);
  });
});
