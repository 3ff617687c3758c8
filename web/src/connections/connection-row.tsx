import { useState, type KeyboardEvent } from 'react';
import { api, messageOf } from '../api/client.ts';
import type { ConnectionView } from '../api/types.ts';
import { Modal } from '../components/modal.tsx';
import { formatDate, plural, STATUS_LABELS } from '../format.ts';
import { reauthorizeConnection } from './reauthorize.ts';

interface Props {
  connection: ConnectionView;
  appName: string;
  onChanged: (connection: ConnectionView) => void;
  onDeleted: (id: string) => void;
  onNotice: (message: string) => void;
}

type Note = { kind: 'ok' | 'error'; text: string } | null;

/** One connection with its actions; outcomes show in the row itself. */
export function ConnectionRow({ connection: c, appName, onChanged, onDeleted, onNotice }: Props) {
  const [renaming, setRenaming] = useState(false);
  const [draft, setDraft] = useState(c.name);
  const [showPermissions, setShowPermissions] = useState(false);
  const [busy, setBusy] = useState<string | null>(null);
  const [note, setNote] = useState<Note>(null);
  const [confirmDelete, setConfirmDelete] = useState(false);

  async function act(label: string, work: () => Promise<void>) {
    setBusy(label);
    setNote(null);
    try {
      await work();
    } catch (e) {
      setNote({ kind: 'error', text: messageOf(e) });
    } finally {
      setBusy(null);
    }
  }

  const verify = () =>
    act('Verifying', async () => {
      const result = await api('POST /connections/:id/verify', { params: { id: c.id } });
      onChanged(result.connection);
      setNote(
        result.verified
          ? {
              kind: 'ok',
              text: `Verified: the connection works${result.connection.account?.label ? ` as ${result.connection.account.label}` : ''}.`,
            }
          : { kind: 'error', text: result.error?.message ?? 'The connection did not pass verification.' },
      );
    });

  const reauthorize = () =>
    act('Reauthorizing', async () => {
      const outcome = await reauthorizeConnection(c);
      if (!outcome.ok) throw new Error(outcome.message);
      onChanged(await api('GET /connections/:id', { params: { id: c.id } }));
      setNote({ kind: 'ok', text: outcome.message });
    });

  const rename = () =>
    act('Renaming', async () => {
      const name = draft.trim();
      if (!name) throw new Error('A connection needs a name: type one, or press Escape to keep the old one.');
      onChanged(await api('PATCH /connections/:id', { params: { id: c.id }, body: { name } }));
      setRenaming(false);
    });

  const remove = () =>
    act('Deleting', async () => {
      await api('DELETE /connections/:id', { params: { id: c.id }, query: c.usedBy.length ? { confirmed: true } : {} });
      setConfirmDelete(false);
      onNotice(`The connection ${c.name} was deleted.`);
      onDeleted(c.id);
    });

  function onRenameKey(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key === 'Enter') {
      event.preventDefault();
      void rename();
    } else if (event.key === 'Escape') {
      event.preventDefault();
      setDraft(c.name);
      setRenaming(false);
    }
  }

  // A date refreshing cannot move asks the person to act; Hitch's refreshes move the others.
  const due = c.reauthorizeBy
    ? `Reauthorize by ${formatDate(c.reauthorizeBy)}`
    : c.renewBy
      ? `renew by ${formatDate(c.renewBy)}`
      : c.expiresAt
        ? `expires ${formatDate(c.expiresAt)}`
        : '';
  return (
    <>
      <tr>
        <th scope="row">
          {renaming ? (
            <input
              aria-label="New name"
              value={draft}
              autoFocus
              onChange={(e) => setDraft(e.target.value)}
              onKeyDown={onRenameKey}
              disabled={busy !== null}
            />
          ) : (
            <span className="name">{c.name}</span>
          )}
          {c.account?.label && <small className="account">{c.account.label}</small>}
        </th>
        <td>{appName}</td>
        <td>
          <span className={`badge ${c.status}`}>{STATUS_LABELS[c.status]}</span>
          {c.lastError && c.status !== 'active' && <small className="last-error">{c.lastError.message}</small>}
        </td>
        <td>{due}</td>
        <td>used in {plural(c.usedBy.length, 'scenario', 'scenarios')}</td>
        <td className="row-actions">
          <button type="button" aria-expanded={showPermissions} onClick={() => setShowPermissions(!showPermissions)}>
            Permissions
          </button>
          <button type="button" onClick={verify} disabled={busy !== null}>
            Verify
          </button>
          <button type="button" onClick={reauthorize} disabled={busy !== null}>
            Reauthorize
          </button>
          <button
            type="button"
            onClick={() => {
              if (renaming) {
                void rename();
              } else {
                setDraft(c.name);
                setRenaming(true);
              }
            }}
            disabled={busy !== null}
          >
            {renaming ? 'Save name' : 'Rename'}
          </button>
          <button type="button" className="danger" onClick={() => setConfirmDelete(true)} disabled={busy !== null}>
            Delete
          </button>
        </td>
      </tr>
      {(showPermissions || busy || note) && (
        <tr className="detail">
          <td colSpan={6}>
            {busy && (
              <p role="status" className="loading">
                <span className="spinner" aria-hidden="true" /> {busy}…
              </p>
            )}
            {note && (
              <p role={note.kind === 'error' ? 'alert' : 'status'} className={note.kind === 'error' ? 'error' : 'ok'}>
                {note.text}
              </p>
            )}
            {showPermissions && (
              <section aria-label={`Permissions of ${c.name}`}>
                {c.fullAccess ? (
                  <p>
                    This connection has full access to the account: {appName} cannot limit it.
                    {c.fullAccessDocsUrl && (
                      <>
                        {' '}
                        <a href={c.fullAccessDocsUrl} target="_blank" rel="noreferrer">
                          Read why
                        </a>
                      </>
                    )}
                  </p>
                ) : c.permissions.length === 0 ? (
                  <p>No permissions have been granted yet.</p>
                ) : (
                  <ul className="permissions">
                    {c.permissions.map((p) => (
                      <li key={p.scope}>
                        <code>{p.scope}</code> {p.description}
                      </li>
                    ))}
                  </ul>
                )}
              </section>
            )}
          </td>
        </tr>
      )}
      {confirmDelete && (
        <Modal title={`Delete ${c.name}?`} onClose={() => setConfirmDelete(false)}>
          {c.usedBy.length > 0 ? (
            <>
              <p>These scenarios use this connection and will stop working until you choose another:</p>
              <ul>
                {c.usedBy.map((s) => (
                  <li key={s.scenarioId}>{s.name}</li>
                ))}
              </ul>
            </>
          ) : (
            <p>No scenario uses this connection. Hitch also revokes its access at {appName}.</p>
          )}
          {note?.kind === 'error' && (
            <p role="alert" className="error">
              {note.text}
            </p>
          )}
          <div className="actions">
            <button type="button" className="danger" onClick={remove} disabled={busy !== null}>
              Delete
            </button>
            <button type="button" className="secondary" onClick={() => setConfirmDelete(false)} autoFocus>
              Cancel
            </button>
          </div>
        </Modal>
      )}
    </>
  );
}
