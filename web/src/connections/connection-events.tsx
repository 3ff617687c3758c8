import { useState } from 'react';
import { api } from '../api/client.ts';
import type { EventView } from '../api/types.ts';
import { ErrorText, Loading } from '../components/status.tsx';
import { formatDate } from '../format.ts';
import { useAsync } from '../use-async.ts';

const EVENTS_PAGE = 10;

/** How the audit trail's types read on a connection's page. */
const EVENT_LABELS: Record<string, string> = {
  'connection.created': 'Created',
  'connection.authorized': 'Authorized',
  'connection.reauthorized': 'Reauthorized',
  'connection.authorization_failed': 'Authorization failed',
  'connection.verified': 'Verified',
  'connection.verify_failed': 'Verification failed',
  'connection.refreshed': 'Refreshed',
  'connection.refresh_failed': 'Renewal failed',
  'connection.reauthorization_required': 'Reauthorization required',
  'connection.renew_by_warning': 'Renewal due soon',
  'connection.renamed': 'Renamed',
  'connection.updated': 'Settings changed',
  'connection.deleted': 'Deleted',
  'connection.endpoint_refused': 'Call refused by its grant',
  'connection.agent_call': 'Called by an agent',
};

/** A connection's events from the audit trail (`GET /events?connectionId=`), newest first, a page at a time. */
export function ConnectionEvents({
  connectionId,
  round,
  actorName,
}: {
  connectionId: string;
  /** Changes whenever the connection did: its newest events are read again. */
  round: number;
  actorName: (actor: string) => string;
}) {
  const [cursors, setCursors] = useState<Array<string | undefined>>([undefined]);
  const cursor = cursors[cursors.length - 1];
  const page = useAsync(
    () => api('GET /events', { query: { connectionId, cursor, limit: EVENTS_PAGE } }),
    `${connectionId}|${cursor ?? ''}|${round}`,
  );
  const items: EventView[] = page.data?.items ?? [];
  return (
    <section aria-labelledby="events-title" className="panel">
      <h2 id="events-title">Events</h2>
      <ErrorText>{page.error}</ErrorText>
      {page.loading && !page.data ? (
        <Loading what="events" />
      ) : items.length === 0 ? (
        <p>Nothing has happened to this connection yet.</p>
      ) : (
        <ol className="events" aria-label="Events, newest first">
          {items.map((e) => (
            <li key={e.id}>
              <time dateTime={e.at}>{formatDate(e.at)}</time> <strong>{EVENT_LABELS[e.type] ?? e.type}</strong>{' '}
              <span>{e.message}</span> <small>by {actorName(e.actor)}</small>
            </li>
          ))}
        </ol>
      )}
      {(cursors.length > 1 || page.data?.nextCursor) && (
        <nav className="pager" aria-label="Event pages">
          <button type="button" disabled={cursors.length <= 1} onClick={() => setCursors(cursors.slice(0, -1))}>
            Newer
          </button>
          <button
            type="button"
            disabled={!page.data?.nextCursor}
            onClick={() => page.data?.nextCursor && setCursors([...cursors, page.data.nextCursor])}
          >
            Older
          </button>
        </nav>
      )}
    </section>
  );
}
