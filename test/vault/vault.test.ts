import fs from 'node:fs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { isHitchError } from '../../src/errors.ts';
import { createVault } from '../../src/vault/vault.ts';
import type { Vault, VaultAdmin } from '../../src/vault/types.ts';
import { dialects, type TestStore } from '../helpers/store.ts';
import { connectionSecrets, insertConnection, insertTeam, newMasterKey, storedSecrets } from './fixtures.ts';

async function decryptionError(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (isHitchError(error, 'decryption_failed')) return error.code;
    throw error;
  }
  return 'decrypted';
}

describe.each(dialects)('vault on $name', ({ name, open }) => {
  let store: TestStore;
  let vault: Vault & VaultAdmin;
  const masterKey = newMasterKey();

  beforeEach(async () => {
    store = await open();
    vault = await createVault({ store, masterKey, reloadIntervalMs: 0 });
  });
  afterEach(async () => {
    vault.close();
    await store.destroy();
  });

  it('gives back what it was given, and never the same ciphertext twice', async () => {
    const context = connectionSecrets('c1');
    for (const plaintext of ['', 'ghp_abc123', 'pässwörd ✓ 🔑', 'x'.repeat(100_000)]) {
      const first = vault.encrypt(plaintext, context);
      expect(first).toMatch(/^v1\.[0-9a-f-]{36}\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+$/);
      expect(vault.keyIdOf(first)).toBe(vault.currentKeyId());
      expect(vault.encrypt(plaintext, context)).not.toBe(first);
      expect(await vault.decrypt(first, context)).toBe(plaintext);
    }
    const value = { access_token: 'at', refresh_token: 'rt', nested: { n: 1 } };
    expect(await vault.decryptJson(vault.encryptJson(value, context), context)).toEqual(value);
  });

  it('keeps the same data key across restarts with the same master key', async () => {
    const context = connectionSecrets('c1');
    const ciphertext = vault.encrypt('token', context);
    const again = await createVault({ store, masterKey, reloadIntervalMs: 0 });
    expect(again.currentKeyId()).toBe(vault.currentKeyId());
    expect(await again.decrypt(ciphertext, context)).toBe('token');
    expect(await store.db.selectFrom('data_keys').selectAll().execute()).toHaveLength(1);
  });

  it('refuses a ciphertext with any character changed, removed or added', async () => {
    const context = connectionSecrets('c1');
    const ciphertext = vault.encrypt('the secret', context);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.';
    for (let i = 0; i < ciphertext.length; i++) {
      const original = ciphertext[i]!;
      // Two replacements per position: a neighbour in the alphabet (low bits) and a distant one.
      const at = alphabet.indexOf(original);
      for (const replacement of new Set([
        alphabet[(at + 1) % alphabet.length]!,
        alphabet[(at + 33) % alphabet.length]!,
      ])) {
        const tampered = ciphertext.slice(0, i) + replacement + ciphertext.slice(i + 1);
        expect(
          await decryptionError(vault.decrypt(tampered, context)),
          `position ${i}: ${original} → ${replacement}`,
        ).toBe('decryption_failed');
      }
    }
    for (const tampered of [
      ciphertext.slice(0, -1),
      ciphertext.slice(0, -22),
      `${ciphertext}A`,
      `${ciphertext}=`,
      `${ciphertext}.x`,
      ciphertext.replace(/^v1/, 'v2'),
      '',
      'not a ciphertext',
    ]) {
      expect(await decryptionError(vault.decrypt(tampered, context))).toBe('decryption_failed');
    }
    expect(await vault.decrypt(ciphertext, context)).toBe('the secret');
  });

  it('refuses a ciphertext copied to another row or another field', async () => {
    const teamId = await insertTeam(store);
    const alice = await insertConnection(store, vault, teamId, { access_token: 'alice-token' });
    const mallory = await insertConnection(store, vault, teamId, { access_token: 'mallory-token' });

    // Someone with write access to the database copies Alice's secrets onto Mallory's connection.
    await store.db
      .updateTable('connections')
      .set({ secrets_enc: await storedSecrets(store, alice) })
      .where('id', '=', mallory)
      .execute();
    const copied = await storedSecrets(store, mallory);
    expect(await decryptionError(vault.decryptJson(copied, connectionSecrets(mallory)))).toBe('decryption_failed');
    expect(
      await decryptionError(vault.decrypt(copied, { table: 'connections', id: alice, field: 'client_secret' })),
    ).toBe('decryption_failed');
    expect(await decryptionError(vault.decrypt(copied, { table: 'oauth_flows', id: alice, field: 'secrets' }))).toBe(
      'decryption_failed',
    );
    expect(await vault.decryptJson(copied, connectionSecrets(alice))).toEqual({ access_token: 'alice-token' });
  });

  it('reads secrets written under a data key another instance created since it started', async () => {
    const other = await createVault({ store, masterKey, reloadIntervalMs: 0 });
    const newKey = await other.rotateDataKey();
    const ciphertext = other.encrypt('fresh', connectionSecrets('c1'));
    expect(vault.currentKeyId()).not.toBe(newKey);
    expect(await vault.decrypt(ciphertext, connectionSecrets('c1'))).toBe('fresh');
    // Having seen the new key, this instance writes with it too.
    expect(vault.currentKeyId()).toBe(newKey);
  });

  it('answers JSON secrets at once under a key it holds, and leaves one under a newer key to decryptJson', async () => {
    const held = vault.encryptJson({ token: 'held' }, connectionSecrets('c1'));
    expect(vault.decryptJsonNow(held, connectionSecrets('c1'))).toEqual({ token: 'held' });
    const other = await createVault({ store, masterKey, reloadIntervalMs: 0 });
    await other.rotateDataKey();
    const fresh = other.encryptJson({ token: 'fresh' }, connectionSecrets('c1'));
    expect(vault.decryptJsonNow(fresh, connectionSecrets('c1'))).toBeUndefined();
    expect(await vault.decryptJson(fresh, connectionSecrets('c1'))).toEqual({ token: 'fresh' });
    expect(vault.decryptJsonNow(fresh, connectionSecrets('c1'))).toEqual({ token: 'fresh' });
    // Moved to another row, it fails the same way as through decryptJson.
    expect(() => vault.decryptJsonNow(fresh, connectionSecrets('c2'))).toThrow(
      expect.objectContaining({ code: 'decryption_failed' }),
    );
  });

  it('makes a key rotated within the millisecond of the current one current on every instance', async () => {
    // Without an order between keys of one millisecond, each of these rotations
    // would become current only if its random id happened to sort last.
    const clock = vi.spyOn(Date, 'now').mockReturnValue(Date.now() + 60_000);
    try {
      const other = await createVault({ store, masterKey, reloadIntervalMs: 0 });
      const instances = [vault, other];
      for (let round = 0; round < 6; round++) {
        const [rotating, reading] = round % 2 === 0 ? instances : [other, vault];
        const rotated = await rotating!.rotateDataKey();
        expect(rotating!.currentKeyId()).toBe(rotated);
        const ciphertext = rotating!.encrypt(`round ${round}`, connectionSecrets('c1'));
        expect(await reading!.decrypt(ciphertext, connectionSecrets('c1'))).toBe(`round ${round}`);
        expect(reading!.currentKeyId()).toBe(rotated);
      }
      const started = await createVault({ store, masterKey, reloadIntervalMs: 0 });
      expect(started.currentKeyId()).toBe(other.currentKeyId());
    } finally {
      clock.mockRestore();
    }
  });

  it('explains a failure without revealing the secret', async () => {
    const context = connectionSecrets('c1');
    const ciphertext = vault.encrypt('hunter2-very-secret', context);
    const error = await vault.decrypt(ciphertext, connectionSecrets('c2')).catch((e: unknown) => e);
    expect(isHitchError(error, 'decryption_failed')).toBe(true);
    expect(
      JSON.stringify({ message: (error as Error).message, details: (error as { details: unknown }).details }),
    ).not.toContain('hunter2');
  });

  it('leaves no plaintext secret where the rows are stored', async () => {
    const teamId = await insertTeam(store);
    const secrets = [
      'gho_PlaintextAccessToken0001',
      'refresh-PlaintextRefresh0002',
      'client-secret-Plaintext0003',
      'sk_live_PlaintextApiKey0004',
    ];
    const ciphertexts: string[] = [];
    for (let i = 0; i < secrets.length; i += 2) {
      const id = await insertConnection(store, vault, teamId, {
        access_token: secrets[i]!,
        refresh_token: secrets[i + 1]!,
      });
      ciphertexts.push(await storedSecrets(store, id));
    }
    // SQLite: read the file's bytes (and its WAL). PostgreSQL: read the rows as the server returns them.
    const stored =
      name === 'sqlite'
        ? Buffer.concat(
            fs
              .readdirSync(store.file!.replace(/[^/]+$/, ''))
              .map((f) => fs.readFileSync(`${store.file!.replace(/[^/]+$/, '')}${f}`)),
          )
        : Buffer.from(
            JSON.stringify([
              await store.db.selectFrom('connections').selectAll().execute(),
              await store.db.selectFrom('data_keys').selectAll().execute(),
            ]),
          );
    // The check reads where the rows really are: their ciphertexts are there.
    for (const ciphertext of ciphertexts) expect(stored.includes(ciphertext)).toBe(true);
    for (const secret of [...secrets, masterKey.toString('base64')]) {
      expect(stored.includes(secret)).toBe(false);
      expect(stored.includes(Buffer.from(secret, 'utf16le'))).toBe(false);
    }
  });
});
