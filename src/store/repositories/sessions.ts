import type { Kysely } from 'kysely';
import type { Database, SessionRow } from '../schema.ts';

/** The only SQL about browser sessions; rows are found by the SHA-256 of the cookie's token. */
export class SessionsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(row: SessionRow): Promise<void> {
    await this.db.insertInto('sessions').values(row).execute();
  }

  async byId(id: string): Promise<SessionRow | undefined> {
    return this.db.selectFrom('sessions').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async touch(id: string, lastSeenAt: number, expiresAt: number): Promise<void> {
    await this.db
      .updateTable('sessions')
      .set({ last_seen_at: lastSeenAt, expires_at: expiresAt })
      .where('id', '=', id)
      .execute();
  }

  async delete(id: string): Promise<void> {
    await this.db.deleteFrom('sessions').where('id', '=', id).execute();
  }

  /** Every session of the user except `keepId` (null: all of them). */
  async deleteOfUser(userId: string, keepId: string | null): Promise<void> {
    let query = this.db.deleteFrom('sessions').where('user_id', '=', userId);
    if (keepId) query = query.where('id', '!=', keepId);
    await query.execute();
  }

  /** Sessions past their idle expiry, or created before `createdBefore` (past their maximum age). */
  async deleteExpired(now: number, createdBefore: number): Promise<number> {
    const result = await this.db
      .deleteFrom('sessions')
      .where((eb) => eb.or([eb('expires_at', '<=', now), eb('created_at', '<=', createdBefore)]))
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
