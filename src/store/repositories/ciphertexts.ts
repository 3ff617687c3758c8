import { sql, type Kysely } from 'kysely';
import type { EncryptedColumn } from '../encrypted-columns.ts';
import type { Database } from '../schema.ts';

export interface StoredCiphertext {
  id: string;
  value: string;
}

/**
 * The SQL over every encrypted column at once, for key rotation: which
 * ciphertexts are under which data key, read by the prefix that names the key.
 * Prefix tests use substr, exact and case-sensitive on both dialects (unlike LIKE on SQLite).
 */
export class CiphertextsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** How many ciphertexts in `target` do not start with `prefix`. */
  async countNotUnder(target: EncryptedColumn, prefix: string): Promise<number> {
    const counted = await sql<{
      n: number | string;
    }>`select count(*) as n from ${sql.table(target.table)} where ${notUnder(target, prefix)}`.execute(this.db);
    return Number(counted.rows[0]?.n ?? 0);
  }

  /** One batch, by id after `after`, of the ciphertexts in `target` that do not start with `prefix`. */
  async pageNotUnder(
    target: EncryptedColumn,
    prefix: string,
    after: string | null,
    limit: number,
  ): Promise<StoredCiphertext[]> {
    const page = await sql<StoredCiphertext>`
      select ${sql.ref(target.idColumn)} as id, ${sql.ref(target.column)} as value
      from ${sql.table(target.table)}
      where ${notUnder(target, prefix)} ${after === null ? sql`` : sql`and ${sql.ref(target.idColumn)} > ${after}`}
      order by ${sql.ref(target.idColumn)}
      limit ${sql.lit(limit)}`.execute(this.db);
    return page.rows;
  }

  /** Writes `fresh` only where the row still holds `seen`, so a concurrent write is never overwritten; false when it changed meanwhile. */
  async replace(target: EncryptedColumn, id: string, seen: string, fresh: string): Promise<boolean> {
    const updated = await sql`
      update ${sql.table(target.table)} set ${sql.ref(target.column)} = ${fresh}
      where ${sql.ref(target.idColumn)} = ${id} and ${sql.ref(target.column)} = ${seen}`.execute(this.db);
    return (updated.numAffectedRows ?? 0n) > 0n;
  }

  /** The ciphertexts in `target`: in all, and per prefix (in the order given). */
  async countByPrefix(
    target: EncryptedColumn,
    prefixes: readonly string[],
  ): Promise<{ total: number; byPrefix: number[] }> {
    const parts = prefixes.map(
      (prefix) =>
        sql`sum(case when substr(${sql.ref(target.column)}, 1, ${sql.lit(prefix.length)}) = ${prefix} then 1 else 0 end)`,
    );
    const select = sql.join([
      sql`count(${sql.ref(target.column)}) as total`,
      ...parts.map((part, i) => sql`${part} as ${sql.ref(`k${i}`)}`),
    ]);
    const counted = await sql<
      Record<string, number | string | null>
    >`select ${select} from ${sql.table(target.table)}`.execute(this.db);
    const row = counted.rows[0] ?? {};
    return { total: Number(row.total ?? 0), byPrefix: prefixes.map((_, i) => Number(row[`k${i}`] ?? 0)) };
  }
}

function notUnder(target: EncryptedColumn, prefix: string) {
  return sql`${sql.ref(target.column)} is not null and substr(${sql.ref(target.column)}, 1, ${sql.lit(prefix.length)}) <> ${prefix}`;
}
