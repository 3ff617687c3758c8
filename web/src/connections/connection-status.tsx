import type { ConnectionStatus, ConnectionView } from '../api/types.ts';
import { formatDate, STATUS_LABELS } from '../format.ts';

/** What each status means for the person looking at it. */
export const STATUS_SENTENCES: Record<ConnectionStatus, string> = {
  pending: 'Hitch is waiting for someone to finish authorizing it at the service; until then nothing can use it.',
  active: 'It works: scenarios use it, and Hitch renews its access before it lapses.',
  error:
    'The last attempt to use or renew it failed for a reason that may pass; Hitch keeps its access and tries again.',
  reauthorization_required:
    'The service no longer accepts it: a person must reauthorize it before scenarios can use it again.',
};

export function needsAttention(c: Pick<ConnectionView, 'status'>): boolean {
  return c.status !== 'active';
}

/** The status as a badge, marked when a person should look at it. */
export function StatusBadge({ connection: c }: { connection: ConnectionView }) {
  return (
    <span className={`badge ${c.status}`}>
      {needsAttention(c) && (
        <span className="attention-mark" aria-hidden="true">
          ⚠{' '}
        </span>
      )}
      {STATUS_LABELS[c.status]}
      {needsAttention(c) && <span className="visually-hidden"> (needs attention)</span>}
    </span>
  );
}

/** A date refreshing cannot move asks the person to act; Hitch's refreshes move the others. */
export function dueText(c: ConnectionView): string {
  if (c.reauthorizeBy) return `Reauthorize by ${formatDate(c.reauthorizeBy)}`;
  if (c.renewBy) return `renew by ${formatDate(c.renewBy)}`;
  if (c.expiresAt) return `expires ${formatDate(c.expiresAt)}`;
  return '';
}
