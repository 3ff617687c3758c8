import { newId } from '../ids.ts';
import type { EventsRepository } from '../store/repositories/events.ts';

export type ConnectionEventType =
  | 'connection.created'
  | 'connection.authorized'
  | 'connection.reauthorized'
  | 'connection.authorization_failed'
  | 'connection.verified'
  | 'connection.verify_failed'
  | 'connection.refreshed'
  | 'connection.refresh_failed'
  | 'connection.reauthorization_required'
  | 'connection.renew_by_warning'
  | 'connection.renamed'
  | 'connection.updated'
  | 'connection.deleted';

/** `user:<id>` or `system` (renewal, sweeps). */
export type Actor = { userId: string } | 'system';

export function actorString(actor: Actor): string {
  return actor === 'system' ? 'system' : `user:${actor.userId}`;
}

/**
 * The team's audit trail. Messages are written for people and never carry a
 * secret: callers pass names and outcomes, not values.
 */
export class ConnectionEvents {
  constructor(private readonly events: EventsRepository) {}

  async record(teamId: string, connectionId: string, type: ConnectionEventType, actor: Actor, message: string): Promise<void> {
    const at = Date.now();
    await this.events.insert({ id: newId(at), team_id: teamId, type, at, actor: actorString(actor), connection_id: connectionId, message });
  }
}
