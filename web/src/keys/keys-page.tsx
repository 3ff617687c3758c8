import { useState } from 'react';
import { api, ApiError, messageOf } from '../api/client.ts';
import type { KeyView } from '../api/types.ts';
import { Modal } from '../components/modal.tsx';
import { Empty, ErrorText, Loading } from '../components/status.tsx';
import { formatDate, plural } from '../format.ts';
import { useSession } from '../session.tsx';
import { useAsync } from '../use-async.ts';
import { KeyDialog } from './key-dialog.tsx';
import { KEY_TYPE_LABELS } from './key-fields.ts';

/** What can be shown of a key: its visible parameters and fingerprint, never a secret. */
function detailsOf(k: KeyView): string {
  const p = k.parameters;
  const to = k.origins.length ? ` → ${k.origins.join(', ')}` : '';
  if (k.type === 'apiKey')
    return `${p.placement === 'query' ? 'query parameter' : 'header'} ${p.parameterName ?? ''}${to}`;
  if (k.type === 'basic') return `user ${p.username ?? ''}${to}`;
  return k.fingerprint ? `fingerprint ${k.fingerprint.slice(0, 23)}…` : '';
}

/** Keys: the team's keychain. Secrets go in and never come back. */
export function KeysPage() {
  const { team } = useSession();
  const list = useAsync(() => api('GET /keys', { query: { teamId: team.id, limit: 200 } }), team.id);
  const [editing, setEditing] = useState<KeyView | 'new' | null>(null);
  const [deleting, setDeleting] = useState<KeyView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const items = list.data?.items ?? [];
  const put = (items: KeyView[]) => list.set({ items, nextCursor: list.data?.nextCursor ?? null });

  async function remove(key: KeyView) {
    setError(null);
    try {
      await api('DELETE /keys/:id', { params: { id: key.id }, query: key.usedBy.length ? { confirmed: true } : {} });
      put(items.filter((k) => k.id !== key.id));
      setDeleting(null);
      setNotice(`The key ${key.name} was deleted.`);
    } catch (e) {
      setError(messageOf(e));
      // Someone started using it meanwhile: show who, so the confirmation means something.
      if (e instanceof ApiError && e.status === 409) {
        const fresh = await api('GET /keys/:id', { params: { id: key.id } }).catch(() => null);
        if (fresh) {
          setDeleting(fresh);
          put(items.map((k) => (k.id === fresh.id ? fresh : k)));
        }
      }
    }
  }

  return (
    <section aria-labelledby="keys-title">
      <div className="page-head">
        <h1 id="keys-title">Keys</h1>
        <button type="button" onClick={() => setEditing('new')}>
          Add key
        </button>
      </div>
      {notice && (
        <p role="status" className="ok notice">
          {notice}
        </p>
      )}
      <ErrorText>{list.error}</ErrorText>
      {list.loading && !list.data ? (
        <Loading what="keys" />
      ) : items.length === 0 && !list.error ? (
        <Empty>
          <p>
            {team.name} has no keys yet. Add key to keep an API key, a password, a certificate or an encryption key for
            the generic modules.
          </p>
        </Empty>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Type</th>
              <th scope="col">Details</th>
              <th scope="col">Use</th>
              <th scope="col">Changed</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {items.map((k) => (
              <tr key={k.id}>
                <th scope="row">{k.name}</th>
                <td>{KEY_TYPE_LABELS[k.type]}</td>
                <td>{detailsOf(k)}</td>
                <td>used in {plural(k.usedBy.length, 'scenario', 'scenarios')}</td>
                <td>{formatDate(k.updatedAt)}</td>
                <td className="row-actions">
                  <button type="button" onClick={() => setEditing(k)}>
                    Edit
                  </button>
                  <button type="button" className="danger" onClick={() => setDeleting(k)}>
                    Delete
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {editing && (
        <KeyDialog
          teamId={team.id}
          {...(editing === 'new' ? {} : { existing: editing })}
          onClose={() => setEditing(null)}
          onSaved={(key) => {
            put(editing === 'new' ? [key, ...items] : items.map((k) => (k.id === key.id ? key : k)));
            setNotice(editing === 'new' ? `The key ${key.name} was added.` : `The key ${key.name} was saved.`);
            setEditing(null);
          }}
        />
      )}
      {deleting && (
        <Modal title={`Delete ${deleting.name}?`} onClose={() => setDeleting(null)}>
          {deleting.usedBy.length > 0 ? (
            <>
              <p>These scenarios use this key and will stop working until you choose another:</p>
              <ul>
                {deleting.usedBy.map((s) => (
                  <li key={s.scenarioId}>{s.name}</li>
                ))}
              </ul>
            </>
          ) : (
            <p>No scenario uses this key.</p>
          )}
          <ErrorText>{error}</ErrorText>
          <div className="actions">
            <button type="button" className="danger" onClick={() => void remove(deleting)}>
              Delete
            </button>
            <button type="button" className="secondary" onClick={() => setDeleting(null)} autoFocus>
              Cancel
            </button>
          </div>
        </Modal>
      )}
    </section>
  );
}
