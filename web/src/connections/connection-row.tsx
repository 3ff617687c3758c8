import { useState, type KeyboardEvent } from 'react';
import { ActionStatus } from './action-status.tsx';
import type { ConnectionView } from '../api/types.ts';
import { plural } from '../format.ts';
import { Link } from '../router.tsx';
import { dueText, StatusBadge } from './connection-status.tsx';
import { DeleteConnectionDialog } from './delete-dialog.tsx';
import { useConnectionActions } from './use-connection-actions.ts';

interface Props {
  connection: ConnectionView;
  appName: string;
  onChanged: (connection: ConnectionView) => void;
  onDeleted: (id: string) => void;
  onNotice: (message: string) => void;
}

/** One connection with its actions; outcomes show in the row itself. */
export function ConnectionRow({ connection: c, appName, onChanged, onDeleted, onNotice }: Props) {
  const [renaming, setRenaming] = useState(false);
  const [draft, setDraft] = useState(c.name);
  const [showPermissions, setShowPermissions] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const { busy, note, verify, reauthorize, rename: renameTo } = useConnectionActions(c, onChanged);
  const rename = async () => {
    if (await renameTo(draft)) setRenaming(false);
  };

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

  const due = dueText(c);
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
            <Link to={`/connections/${c.id}`}>{c.name}</Link>
          )}
          {c.account?.label && <small className="account">{c.account.label}</small>}
        </th>
        <td>{appName}</td>
        <td>
          <StatusBadge connection={c} />
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
            <ActionStatus busy={busy} note={note} />
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
        <DeleteConnectionDialog
          connection={c}
          appName={appName}
          onClose={() => setConfirmDelete(false)}
          onDeleted={(message) => {
            setConfirmDelete(false);
            onNotice(message);
            onDeleted(c.id);
          }}
        />
      )}
    </>
  );
}
