import type {
  KyselyPlugin,
  PluginTransformQueryArgs,
  PluginTransformResultArgs,
  QueryResult,
  RootOperationNode,
  UnknownRow,
} from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isHitchError } from '../../src/errors.ts';
import { openStore, type Store } from '../../src/store/database.ts';
import { ciphertextCounts, reencryptAll, rewrapDataKeys, rotateDataKey } from '../../src/vault/rotation.ts';
import { masterKeyId } from '../../src/vault/master-key.ts';
import { createVault } from '../../src/vault/vault.ts';
import type { Vault, VaultAdmin } from '../../src/vault/types.ts';
import { dialects, type TestStore } from '../helpers/store.ts';
import {
  connectionSecrets,
  flowPayload,
  insertConnection,
  insertFlow,
  insertTeam,
  newMasterKey,
  storedPayload,
  storedSecrets,
} from './fixtures.ts';

/**
 * Runs `write` once, right after the rotation has read the row `id` and before
 * it writes it back: the window in which another instance's write could be lost.
 */
class WriteAfterReading implements KyselyPlugin {
  fired = false;
  constructor(
    private readonly id: string,
    private readonly write: () => Promise<void>,
  ) {}
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    return args.node;
  }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    if (!this.fired && args.result.rows.some((row) => row.id === this.id && 'value' in row)) {
      this.fired = true;
      await this.write();
    }
    return args.result;
  }
}

describe.each(dialects)('key rotation on $name', ({ open }) => {
  let store: TestStore;
  let vault: Vault & VaultAdmin;
  let teamId: string;
  const masterKey = newMasterKey();

  beforeEach(async () => {
    store = await open();
    vault = await createVault({ store, masterKey, reloadIntervalMs: 0 });
    teamId = await insertTeam(store);
  });
  afterEach(async () => {
    vault.close();
    await store.destroy();
  });

  it('moves every secret to the new data key and keeps all of them readable', async () => {
    const oldKey = vault.currentKeyId();
    const connections = new Map<string, string>();
    for (let i = 0; i < 7; i++)
      connections.set(await insertConnection(store, vault, teamId, { access_token: `token-${i}` }), `token-${i}`);
    const [firstConnection] = [...connections.keys()];
    const flows = new Map<string, string>();
    for (let i = 0; i < 3; i++)
      flows.set(await insertFlow(store, vault, firstConnection!, teamId, { verifier: `pkce-${i}` }), `pkce-${i}`);

    const newKey = await rotateDataKey(vault);
    expect(newKey).not.toBe(oldKey);
    expect(vault.currentKeyId()).toBe(newKey);

    const progress: Array<[number, number]> = [];
    const result = await reencryptAll(vault, store, {
      batchSize: 3,
      onProgress: (done, total) => progress.push([done, total]),
    });
    expect(result).toEqual({ total: 10, rewritten: 10, changedMeanwhile: 0, failed: [] });
    expect(progress.at(0)).toEqual([0, 10]);
    expect(progress.at(-1)).toEqual([10, 10]);

    for (const [id, token] of connections) {
      const stored = await storedSecrets(store, id);
      expect(vault.keyIdOf(stored)).toBe(newKey);
      expect(await vault.decryptJson(stored, connectionSecrets(id))).toEqual({ access_token: token });
    }
    for (const [stateHash, verifier] of flows) {
      const stored = await storedPayload(store, stateHash);
      expect(vault.keyIdOf(stored)).toBe(newKey);
      expect(await vault.decryptJson(stored, flowPayload(stateHash))).toEqual({ verifier });
    }
    const usage = await ciphertextCounts(store, [oldKey, newKey]);
    expect(Object.fromEntries(usage.byKey)).toEqual({ [oldKey]: 0, [newKey]: 10 });
    expect(usage.unknown).toBe(0);

    // Another instance started now uses the new key too.
    const restarted = await createVault({ store, masterKey, reloadIntervalMs: 0 });
    expect(restarted.currentKeyId()).toBe(newKey);
    expect((await reencryptAll(vault, store)).total).toBe(0);
  });

  it('never overwrites a secret another instance writes while rotation runs', async () => {
    const ids = [];
    for (let i = 0; i < 4; i++) ids.push(await insertConnection(store, vault, teamId, { access_token: `old-${i}` }));
    const target = ids[2]!;

    // The other instance has its own connection to the database (SQLite: a second handle on the file).
    const otherStore: Store = store.file ? openStore({ kind: 'sqlite', file: store.file }) : store;
    const other = await createVault({ store: otherStore, masterKey, reloadIntervalMs: 0 });
    try {
      const newKey = await rotateDataKey(vault);
      const racing = new WriteAfterReading(target, async () => {
        // It has not seen the new data key yet, so it writes under the old one.
        await otherStore.db
          .updateTable('connections')
          .set({ secrets_enc: other.encryptJson({ access_token: 'renewed' }, connectionSecrets(target)) })
          .where('id', '=', target)
          .execute();
      });
      const result = await reencryptAll(vault, { ...store, db: store.db.withPlugin(racing) }, { batchSize: 10 });
      expect(racing.fired).toBe(true);
      expect(result).toMatchObject({ total: 4, rewritten: 3, changedMeanwhile: 1 });
      expect(await vault.decryptJson(await storedSecrets(store, target), connectionSecrets(target))).toEqual({
        access_token: 'renewed',
      });

      // A second run picks up what was written under the old key meanwhile.
      expect(await reencryptAll(vault, store)).toMatchObject({ total: 1, rewritten: 1 });
      for (const id of ids) expect(vault.keyIdOf(await storedSecrets(store, id))).toBe(newKey);
      expect(await vault.decryptJson(await storedSecrets(store, target), connectionSecrets(target))).toEqual({
        access_token: 'renewed',
      });
    } finally {
      other.close();
      if (otherStore !== store) await otherStore.close();
    }
  });

  it('reports rows that no longer decrypt and leaves them untouched', async () => {
    const good = await insertConnection(store, vault, teamId, { access_token: 'good' });
    const moved = await insertConnection(store, vault, teamId, { access_token: 'moved' });
    await store.db
      .updateTable('connections')
      .set({ secrets_enc: await storedSecrets(store, good) })
      .where('id', '=', moved)
      .execute();
    const before = await storedSecrets(store, moved);
    await rotateDataKey(vault);
    const result = await reencryptAll(vault, store);
    expect(result).toMatchObject({ total: 2, rewritten: 1, failed: [{ table: 'connections', id: moved }] });
    expect(await storedSecrets(store, moved)).toBe(before);
  });

  it('re-wraps the data keys under a new master key, after which the old master key is not needed', async () => {
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push(await insertConnection(store, vault, teamId, { access_token: `token-${i}` }));
    await rotateDataKey(vault);
    ids.push(await insertConnection(store, vault, teamId, { access_token: 'token-3' }));

    // The operator sets a new HITCH_MASTER_KEY and moves the old one to HITCH_PREVIOUS_MASTER_KEYS.
    const newMaster = newMasterKey();
    const during = await createVault({
      store,
      masterKey: newMaster,
      previousMasterKeys: [masterKey],
      reloadIntervalMs: 0,
    });
    for (const [i, id] of ids.entries())
      expect(await during.decryptJson(await storedSecrets(store, id), connectionSecrets(id))).toEqual({
        access_token: `token-${i}`,
      });
    expect(await rewrapDataKeys(during)).toBe(2);
    expect(await rewrapDataKeys(during)).toBe(0);

    const rows = await store.db.selectFrom('data_keys').selectAll().execute();
    expect(rows.map((row) => row.master_key_id)).toEqual([masterKeyId(newMaster), masterKeyId(newMaster)]);

    const after = await createVault({ store, masterKey: newMaster, reloadIntervalMs: 0 });
    for (const [i, id] of ids.entries())
      expect(await after.decryptJson(await storedSecrets(store, id), connectionSecrets(id))).toEqual({
        access_token: `token-${i}`,
      });

    // And the old master key alone no longer opens them.
    const error = await createVault({ store, masterKey, reloadIntervalMs: 0 }).catch((e: unknown) => e);
    expect(isHitchError(error, 'vault_key_unusable')).toBe(true);
  });
});
