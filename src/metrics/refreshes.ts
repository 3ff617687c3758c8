import type { ConnectionEvents } from '../connections/events.ts';
import type { Metrics } from './registry.ts';

/** Event types that end a renewal, and the outcome each one counts as. */
const OUTCOMES: Record<string, string> = {
  'connection.refreshed': 'renewed',
  'connection.refresh_failed': 'failed',
  'connection.reauthorization_required': 'reauthorization_required',
};

/**
 * Counts renewals from the audit trail, the one place every renewal already
 * reports to, so the renewal code carries no metrics of its own.
 */
export function countRefreshes(events: ConnectionEvents, metrics: Metrics): void {
  for (const outcome of new Set(Object.values(OUTCOMES))) metrics.refreshes.inc({ outcome }, 0);
  events.subscribe(async (event) => {
    const outcome = OUTCOMES[event.type];
    if (outcome) metrics.refreshes.inc({ outcome });
  });
}
