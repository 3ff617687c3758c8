import type { EventsRepository } from '../store/repositories/events.ts';

/** An event of a team's audit trail as the API shows it. */
export interface EventView {
  id: string;
  type: string;
  at: string;
  actor: string;
  connectionId: string | null;
  message: string;
}

export interface EventsQuery {
  teamIds: string[];
  connectionId?: string;
  type?: string;
  /** The last id of the previous page: lists run newest first. */
  cursor?: string;
  limit: number;
}

/** Reads the audit trail (everything a connection went through, and scenario and key changes), one keyset page at a time. */
export class AuditTrail {
  constructor(private readonly events: EventsRepository) {}

  async list(query: EventsQuery): Promise<{ items: EventView[]; nextCursor: string | null }> {
    const { teamIds, connectionId, type, cursor, limit } = query;
    const rows = await this.events.list({
      teamIds,
      ...(connectionId ? { connectionId } : {}),
      ...(type ? { type } : {}),
      ...(cursor ? { before: cursor } : {}),
      limit: limit + 1,
    });
    const page = rows.slice(0, limit);
    return {
      items: page.map((e) => ({
        id: e.id,
        type: e.type,
        at: new Date(e.at).toISOString(),
        actor: e.actor,
        connectionId: e.connection_id,
        message: e.message,
      })),
      nextCursor: rows.length > limit ? page[page.length - 1]!.id : null,
    };
  }
}
