import { newId } from '../ids.ts';
import type { Logger } from '../log.ts';
import type { EventsRepository } from '../store/repositories/events.ts';
import type { EventRow } from '../store/schema.ts';

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
  | 'connection.deleted'
  | 'connection.endpoint_refused'
  | 'connection.agent_call'
  | 'connection.approval_requested'
  | 'connection.approval_decided';

/** `user:<id>` or `system` (renewal, sweeps). */
export type Actor = { userId: string } | 'system';

export function actorString(actor: Actor): string {
  return actor === 'system' ? 'system' : `user:${actor.userId}`;
}

/** Told of every event once it is stored (the team webhook listens here). Must not throw. */
export type EventListener = (event: EventRow) => Promise<void>;

/**
 * The team's audit trail. Messages are written for people and never carry a
 * secret: callers pass names and outcomes, not values. Every event passes
 * through `record`, so listeners (webhooks) see each one exactly once.
 */
export class ConnectionEvents {
  private readonly listeners: EventListener[] = [];

  constructor(
    private readonly events: EventsRepository,
    private readonly log?: Logger,
  ) {}

  subscribe(listener: EventListener): void {
    this.listeners.push(listener);
  }

  async record(
    teamId: string,
    connectionId: string,
    type: ConnectionEventType,
    actor: Actor,
    message: string,
  ): Promise<void> {
    const event = this.build(teamId, connectionId, type, actor, message);
    await this.events.insert(event);
    await this.published(event);
  }

  /** An event to store together with the change it records (in that change's transaction), then pass to `published`. */
  build(teamId: string, connectionId: string, type: ConnectionEventType, actor: Actor, message: string): EventRow {
    const at = Date.now();
    return {
      id: newId(at),
      team_id: teamId,
      type,
      at,
      actor: actorString(actor),
      connection_id: connectionId,
      message,
    };
  }

  /** Tells the listeners of an event once it is stored. */
  async published(event: EventRow): Promise<void> {
    for (const listener of this.listeners) {
      // A webhook that cannot be queued must not undo or fail what the event records.
      await listener(event).catch((error: unknown) =>
        this.log?.error({ err: error, eventId: event.id }, 'an event listener failed'),
      );
    }
  }
}
