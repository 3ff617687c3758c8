import type { Kysely } from 'kysely';
import type { Database, EventRow } from '../schema.ts';

export interface EventFilter {
  teamIds: string[];
  connectionId?: string;
  type?: string;
  /** Keyset cursor: the last id of the previous page; lists run newest first. */
  before?: string;
  limit: number;
}

export class EventsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(row: EventRow): Promise<void> {
    await this.db.insertInto('events').values(row).execute();
  }

  async list(filter: EventFilter): Promise<EventRow[]> {
    if (filter.teamIds.length === 0) return [];
    let query = this.db.selectFrom('events').selectAll().where('team_id', 'in', filter.teamIds);
    if (filter.connectionId) query = query.where('connection_id', '=', filter.connectionId);
    if (filter.type) query = query.where('type', '=', filter.type);
    if (filter.before) query = query.where('id', '<', filter.before);
    return query.orderBy('id', 'desc').limit(filter.limit).execute();
  }

  async deleteOlderThan(cutoff: number): Promise<number> {
    const result = await this.db.deleteFrom('events').where('at', '<', cutoff).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
