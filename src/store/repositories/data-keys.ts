import type { Kysely } from 'kysely';
import type { DataKeyRow, Database } from '../schema.ts';

/** The only SQL about the vault's data keys (stored wrapped by a master key, never in clear). */
export class DataKeysRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(row: DataKeyRow): Promise<void> {
    await this.db.insertInto('data_keys').values(row).execute();
  }

  /** Oldest first; ids are UUIDv7, so they break ties between keys created in the same millisecond. */
  async all(): Promise<DataKeyRow[]> {
    return this.db.selectFrom('data_keys').selectAll().orderBy('created_at').orderBy('id').execute();
  }

  /** Replaces the wrapping only where the row still holds `seenWrappedKey`, so two instances rewrapping at once agree. */
  async rewrap(
    id: string,
    seenWrappedKey: string,
    wrapped: { wrapped_key: string; master_key_id: string },
  ): Promise<boolean> {
    const result = await this.db
      .updateTable('data_keys')
      .set(wrapped)
      .where('id', '=', id)
      .where('wrapped_key', '=', seenWrappedKey)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }
}
