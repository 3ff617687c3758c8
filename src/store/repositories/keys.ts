import type { Kysely, Updateable } from 'kysely';
import type { Database, KeyRow, KeysTable } from '../schema.ts';

/** The only SQL about keys; every read is scoped by team. */
export class KeysRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(row: KeyRow): Promise<void> {
    await this.db.insertInto('keys').values(row).execute();
  }

  async byIdInTeams(id: string, teamIds: string[]): Promise<KeyRow | undefined> {
    if (teamIds.length === 0) return undefined;
    return this.db
      .selectFrom('keys')
      .selectAll()
      .where('id', '=', id)
      .where('team_id', 'in', teamIds)
      .executeTakeFirst();
  }

  async list(filter: { teamIds: string[]; type?: string; after?: string; limit: number }): Promise<KeyRow[]> {
    if (filter.teamIds.length === 0) return [];
    let query = this.db.selectFrom('keys').selectAll().where('team_id', 'in', filter.teamIds);
    if (filter.type) query = query.where('type', '=', filter.type);
    if (filter.after) query = query.where('id', '>', filter.after);
    return query.orderBy('id').limit(filter.limit).execute();
  }

  async update(id: string, changes: Updateable<KeysTable>): Promise<void> {
    await this.db.updateTable('keys').set(changes).where('id', '=', id).execute();
  }

  async delete(id: string): Promise<void> {
    await this.db.deleteFrom('keys').where('id', '=', id).execute();
  }
}
