import { sql } from 'kysely';
import { isHitchError } from '../errors.ts';
import type { Logger } from '../log.ts';
import type { Store } from '../store/database.ts';
import { ciphertextPrefix } from './ciphertext.ts';
import { ENCRYPTED_COLUMNS, type EncryptedColumn } from './encrypted-columns.ts';
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

interface StaleRow {
  id: string;
  value: string;
}

/** `column` holds a ciphertext that is not under `keyId`. Exact and case-sensitive on both dialects, unlike LIKE on SQLite. */
function notUnder(target: EncryptedColumn, keyId: string) {
  const prefix = ciphertextPrefix(keyId);
  return sql`${sql.ref(target.column)} is not null and substr(${sql.ref(target.column)}, 1, ${sql.lit(prefix.length)}) <> ${prefix}`;
}

/**
 * Rewrites every ciphertext not under the current data key, in batches of
 * `batchSize` rows. Each row is updated only where it still holds the
 * ciphertext that was read, so a concurrent write is never overwritten; old
 * ciphertexts stay readable throughout, so Hitch keeps serving while this runs.
 */
export async function reencryptAll(vault: Vault, store: Store, options: ReencryptOptions = {}): Promise<ReencryptResult> {
  const { batchSize = REENCRYPT_BATCH_SIZE, columns = ENCRYPTED_COLUMNS, onProgress, log } = options;
  const keyId = vault.currentKeyId();
  const result: ReencryptResult = { total: 0, rewritten: 0, changedMeanwhile: 0, failed: [] };

  for (const target of columns) {
    const counted = await sql<{ n: number | string }>`select count(*) as n from ${sql.table(target.table)} where ${notUnder(target, keyId)}`.execute(store.db);
    result.total += Number(counted.rows[0]?.n ?? 0);
  }
  onProgress?.(0, result.total);

  let done = 0;
  for (const target of columns) {
    let after: string | null = null;
    for (;;) {
      const page: { rows: StaleRow[] } = await sql<StaleRow>`
        select ${sql.ref(target.idColumn)} as id, ${sql.ref(target.column)} as value
        from ${sql.table(target.table)}
        where ${notUnder(target, keyId)} ${after === null ? sql`` : sql`and ${sql.ref(target.idColumn)} > ${after}`}
        order by ${sql.ref(target.idColumn)}
        limit ${sql.lit(batchSize)}`.execute(store.db);
      if (page.rows.length === 0) break;

      for (const row of page.rows) {
        const context = { table: target.table, id: row.id, field: target.field };
        let fresh: string;
        try {
          fresh = vault.encrypt(await vault.decrypt(row.value, context), context);
        } catch (error) {
          if (!isHitchError(error, 'decryption_failed')) throw error;
          log?.warn({ table: target.table, id: row.id, field: target.field }, 'a stored secret does not decrypt; left as it is');
          result.failed.push({ table: target.table, id: row.id });
          continue;
        }
        const updated = await sql`
          update ${sql.table(target.table)} set ${sql.ref(target.column)} = ${fresh}
          where ${sql.ref(target.idColumn)} = ${row.id} and ${sql.ref(target.column)} = ${row.value}`.execute(store.db);
        if ((updated.numAffectedRows ?? 0n) > 0n) result.rewritten++;
        else result.changedMeanwhile++;
      }
      done += page.rows.length;
      onProgress?.(Math.min(done, result.total), result.total);
      after = page.rows[page.rows.length - 1]!.id;
      if (page.rows.length < batchSize) break;
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
export async function ciphertextCounts(store: Store, keyIds: readonly string[], columns: readonly EncryptedColumn[] = ENCRYPTED_COLUMNS): Promise<KeyUsage> {
  const byKey = new Map<string, number>(keyIds.map((id) => [id, 0]));
  let unknown = 0;
  for (const target of columns) {
    const parts = keyIds.map((id) => {
      const prefix = ciphertextPrefix(id);
      return sql`sum(case when substr(${sql.ref(target.column)}, 1, ${sql.lit(prefix.length)}) = ${prefix} then 1 else 0 end)`;
    });
    const select = sql.join([sql`count(${sql.ref(target.column)}) as total`, ...parts.map((part, i) => sql`${part} as ${sql.ref(`k${i}`)}`)]);
    const counted = await sql<Record<string, number | string | null>>`select ${select} from ${sql.table(target.table)}`.execute(store.db);
    const row = counted.rows[0] ?? {};
    let known = 0;
    keyIds.forEach((id, i) => {
      const n = Number(row[`k${i}`] ?? 0);
      known += n;
      byKey.set(id, byKey.get(id)! + n);
    });
    unknown += Number(row.total ?? 0) - known;
  }
  return { byKey, unknown };
}
