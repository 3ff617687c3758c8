import { useState } from 'react';
import { api, messageOf } from './api/client.ts';
import type { ConnectionView, Page } from './api/types.ts';
import { reauthorizeConnection } from './connections/reauthorize.ts';
import { formatDate } from './format.ts';
import { useAsync } from './use-async.ts';

const RENEW_SOON_MS = 7 * 24 * 3600 * 1000;

function reasonOf(c: ConnectionView, now: number): string | null {
  if (c.status === 'reauthorization_required') return `${c.name} needs to be reauthorized${c.lastError ? `: ${c.lastError.message}` : '.'}`;
  if (c.status === 'error') return `${c.name} has a problem${c.lastError ? `: ${c.lastError.message}` : '.'}`;
  if (c.renewBy && Date.parse(c.renewBy) - now < RENEW_SOON_MS) return `${c.name} must be reauthorized by ${formatDate(c.renewBy)}.`;
  return null;
}

/** What needs a person: connections that lost their grant, or whose renew-by date is close. */
export function AttentionBanner({ teamId, round }: { teamId: string; round: number }) {
  const list = useAsync(() => api<Page<ConnectionView>>('GET', '/connections', { query: { teamId, limit: 200 } }), `${teamId}|${round}`);
  const [note, setNote] = useState<string | null>(null);
  const now = Date.now();
  const items = (list.data?.items ?? []).map((c) => ({ c, reason: reasonOf(c, now) })).filter((x): x is { c: ConnectionView; reason: string } => x.reason !== null);
  if (items.length === 0 && !note) return null;

  async function act(c: ConnectionView) {
    setNote(null);
    try {
      const outcome = await reauthorizeConnection(c);
      setNote(outcome.message);
      list.reload();
    } catch (e) {
      setNote(messageOf(e));
    }
  }

  return (
    <section className="attention" aria-label="Needs attention">
      <ul>
        {items.map(({ c, reason }) => (
          <li key={c.id}>
            {reason}{' '}
            <button type="button" onClick={() => void act(c)}>
              Reauthorize {c.name}
            </button>
          </li>
        ))}
      </ul>
      {note && <p role="status">{note}</p>}
    </section>
  );
}
