import { isHitchError } from '../errors.ts';
import type { Logger } from '../log.ts';
import type { Store } from '../store/database.ts';
import { ENCRYPTED_COLUMNS, type EncryptedColumn } from '../store/encrypted-columns.ts';
import { CiphertextsRepository } from '../store/repositories/ciphertexts.ts';
import { ciphertextPrefix } from './ciphertext.ts';
import type { Vault, VaultAdmin } from './types.ts';

export const REENCRYPT_BATCH_SIZE = 200;

/** Creates a new data key; new secrets use it at once here, and on other instances after their next reload. */
export function rotateDataKey(vault: VaultAdmin): Promise<string> {
  return vault.rotateDataKey();
}

/** Re-wraps every data key under the current master key (after a master-key change). */
export function rewrapDataKeys(vault: VaultAdmin): Promise<number> {
  return vault.rewrapDataKeys();
}

export interface ReencryptOptions {
  batchSize?: number;
  columns?: readonly EncryptedColumn[];
  /** Called after each batch with the rows handled so far and the rows found at the start. */
  onProgress?: (done: number, total: number) => void;
  log?: Logger;
}

export interface ReencryptResult {
  /** Ciphertexts under an older data key when the run started. */
  total: number;
  rewritten: number;
  /** Rows written by someone else between our read and our write; theirs is kept. */
  changedMeanwhile: number;
  /** Rows that did not decrypt (changed outside Hitch); left as they are. */
  failed: Array<{ table: string; id: string }>;
}

/**
 * Rewrites every ciphertext not under the current data key, in batches of
 * `batchSize` rows. Each row is updated only where it still holds the
 * ciphertext that was read, so a concurrent write is never overwritten; old
 * ciphertexts stay readable throughout, so Hitch keeps serving while this runs.
 */
export async function reencryptAll(
  vault: Vault,
  store: Store,
  options: ReencryptOptions = {},
): Promise<ReencryptResult> {
  const { batchSize = REENCRYPT_BATCH_SIZE, columns = ENCRYPTED_COLUMNS, onProgress, log } = options;
  const keyId = vault.currentKeyId();
  const prefix = ciphertextPrefix(keyId);
  const ciphertexts = new CiphertextsRepository(store.db);
  const result: ReencryptResult = { total: 0, rewritten: 0, changedMeanwhile: 0, failed: [] };

  for (const target of columns) result.total += await ciphertexts.countNotUnder(target, prefix);
  onProgress?.(0, result.total);

  let done = 0;
  for (const target of columns) {
    let after: string | null = null;
    for (;;) {
      const page = await ciphertexts.pageNotUnder(target, prefix, after, batchSize);
      if (page.length === 0) break;

      for (const row of page) {
        const context = { table: target.table, id: row.id, field: target.field };
        let fresh: string;
        try {
          fresh = vault.encrypt(await vault.decrypt(row.value, context), context);
        } catch (error) {
          if (!isHitchError(error, 'decryption_failed')) throw error;
          log?.warn(
            { table: target.table, id: row.id, field: target.field },
            'a stored secret does not decrypt; left as it is',
          );
          result.failed.push({ table: target.table, id: row.id });
          continue;
        }
        if (await ciphertexts.replace(target, row.id, row.value, fresh)) result.rewritten++;
        else result.changedMeanwhile++;
      }
      done += page.length;
      onProgress?.(Math.min(done, result.total), result.total);
      after = page[page.length - 1]!.id;
      if (page.length < batchSize) break;
    }
  }
  return result;
}

export interface KeyUsage {
  /** Ciphertexts per data-key id, over every encrypted column. */
  byKey: Map<string, number>;
  /** Ciphertexts naming no data key in the database (changed or copied from elsewhere). */
  unknown: number;
}

/** How many ciphertexts each data key protects: rotation is complete when only the current key has any. */
export async function ciphertextCounts(
  store: Store,
  keyIds: readonly string[],
  columns: readonly EncryptedColumn[] = ENCRYPTED_COLUMNS,
): Promise<KeyUsage> {
  const byKey = new Map<string, number>(keyIds.map((id) => [id, 0]));
  let unknown = 0;
  const ciphertexts = new CiphertextsRepository(store.db);
  const prefixes = keyIds.map(ciphertextPrefix);
  for (const target of columns) {
    const { total, byPrefix } = await ciphertexts.countByPrefix(target, prefixes);
    let known = 0;
    keyIds.forEach((id, i) => {
      const n = byPrefix[i] ?? 0;
      known += n;
      byKey.set(id, byKey.get(id)! + n);
    });
    unknown += total - known;
  }
  return { byKey, unknown };
}
