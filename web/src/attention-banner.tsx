import { useState } from 'react';
import { api, messageOf } from './api/client.ts';
import type { Notification } from './api/types.ts';
import { reauthorizeConnection } from './connections/reauthorize.ts';
import { Link } from './router.tsx';
import { useSession } from './session.tsx';
import { useAsync } from './use-async.ts';

/** What needs a person, as the server says (`GET /notifications`): grants gone, failing renewals, renew-by dates close. */
export function AttentionBanner({ round }: { round: number }) {
  const { me, team } = useSession();
  const list = useAsync(() => api('GET /notifications').then((r) => r.items), String(round));
  const [note, setNote] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const items = list.data ?? [];
  if (items.length === 0 && !note) return null;
  const teamName = (id: string) => me.teams.find((t) => t.id === id)?.name ?? 'another team';

  async function act(n: Notification) {
    setNote(null);
    setBusy(n.id);
    try {
      const outcome = await reauthorizeConnection({ id: n.connectionId, app: n.app });
      setNote({ ok: outcome.ok, text: outcome.message });
      list.reload();
    } catch (e) {
      setNote({ ok: false, text: messageOf(e) });
    } finally {
      setBusy(null);
    }
  }

  return (
    <section className="attention" aria-label="Needs attention">
      <ul>
        {items.map((n) => (
          <li key={n.id}>
            {n.teamId !== team.id && <strong>{teamName(n.teamId)}: </strong>}
            {n.message} <Link to={`/connections/${n.connectionId}`}>Open {n.connectionName}</Link>{' '}
            <button type="button" onClick={() => void act(n)} disabled={busy !== null}>
              Reauthorize {n.connectionName}
            </button>
          </li>
        ))}
      </ul>
      {note && (
        <p role={note.ok ? 'status' : 'alert'} className={note.ok ? 'ok' : 'error'}>
          {note.text}
        </p>
      )}
    </section>
  );
}
