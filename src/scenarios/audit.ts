import { newId } from '../ids.ts';
import type { EventsRepository } from '../store/repositories/events.ts';

export type AuditEventType =
  | 'scenario.created'
  | 'scenario.updated'
  | 'scenario.deleted'
  | 'scenario.paused'
  | 'connection.replaced'
  | 'key.created'
  | 'key.updated'
  | 'key.deleted';

/**
 * Scenario and key events in the team's audit trail (the same `events` table as
 * connections). Messages name things and outcomes, never a secret value.
 */
export class Audit {
  constructor(private readonly events: EventsRepository) {}

  async record(
    teamId: string,
    type: AuditEventType,
    actor: { userId: string } | 'system',
    message: string,
    connectionId: string | null = null,
  ): Promise<void> {
    const at = Date.now();
    await this.events.insert({
      id: newId(at),
      team_id: teamId,
      type,
      at,
      actor: actor === 'system' ? 'system' : `user:${actor.userId}`,
      connection_id: connectionId,
      message,
    });
  }
}
