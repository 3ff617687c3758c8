import { useState } from 'react';
import { api, messageOf } from '../api/client.ts';
import type { ConnectionView } from '../api/types.ts';
import { Modal } from '../components/modal.tsx';
import { ErrorText } from '../components/status.tsx';
import { Link } from '../router.tsx';
import { useAsync } from '../use-async.ts';

/** Enough of a team's connections of one app to choose a replacement from. */
const REPLACEMENTS_SHOWN = 100;

/**
 * Delete, naming the scenarios that would break, and offering Replace: their
 * modules move to another connection of the same app first, so nothing breaks.
 */
export function DeleteConnectionDialog({
  connection: c,
  appName,
  onClose,
  onDeleted,
}: {
  connection: ConnectionView;
  appName: string;
  onClose: () => void;
  onDeleted: (message: string) => void;
}) {
  const inUse = c.usedBy.length > 0;
  const others = useAsync(
    () =>
      inUse
        ? api('GET /connections', { query: { teamId: c.teamId, app: c.app, limit: REPLACEMENTS_SHOWN } }).then((r) =>
            r.items.filter((x) => x.id !== c.id),
          )
        : Promise.resolve([]),
    c.id,
  );
  const [replacement, setReplacement] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const candidates = others.data ?? [];
  const chosen = candidates.find((x) => x.id === replacement) ?? candidates[0];

  async function remove(replaceWith?: ConnectionView) {
    setBusy(true);
    setError(null);
    try {
      if (replaceWith)
        await api('POST /connections/:id/replace', { params: { id: c.id }, body: { with: replaceWith.id } });
      await api('DELETE /connections/:id', {
        params: { id: c.id },
        query: inUse && !replaceWith ? { confirmed: true } : {},
      });
      onDeleted(
        replaceWith
          ? `The connection ${c.name} was deleted; its scenarios now use ${replaceWith.name}.`
          : `The connection ${c.name} was deleted.`,
      );
    } catch (e) {
      setError(messageOf(e));
      setBusy(false);
    }
  }

  return (
    <Modal title={`Delete ${c.name}?`} onClose={onClose}>
      {inUse ? (
        <>
          <p>These scenarios use this connection and will stop working until you choose another:</p>
          <ul>
            {c.usedBy.map((s) => (
              <li key={s.scenarioId}>
                <Link to={`/scenarios/${s.scenarioId}`}>{s.name}</Link>
              </li>
            ))}
          </ul>
          {candidates.length > 0 ? (
            <div className="field">
              <label htmlFor="replacement">Move them to</label>
              <select id="replacement" value={chosen?.id ?? ''} onChange={(e) => setReplacement(e.target.value)}>
                {candidates.map((x) => (
                  <option key={x.id} value={x.id}>
                    {x.name}
                    {x.account?.label ? ` (${x.account.label})` : ''}
                  </option>
                ))}
              </select>
              <small>Replace moves every module using {c.name} to the connection you choose, then deletes it.</small>
            </div>
          ) : (
            others.data && (
              <p>To keep them working, add another {appName} connection first: Replace then moves them to it.</p>
            )
          )}
        </>
      ) : (
        <p>No scenario uses this connection. Hitch also revokes its access at {appName}.</p>
      )}
      <ErrorText>{error}</ErrorText>
      <div className="actions">
        {inUse && chosen && (
          <button type="button" onClick={() => void remove(chosen)} disabled={busy}>
            Replace and delete
          </button>
        )}
        <button type="button" className="danger" onClick={() => void remove()} disabled={busy}>
          Delete
        </button>
        <button type="button" className="secondary" onClick={onClose} autoFocus>
          Cancel
        </button>
      </div>
    </Modal>
  );
}
