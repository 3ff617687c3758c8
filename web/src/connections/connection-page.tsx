import { useState, type KeyboardEvent } from 'react';
import { ActionStatus } from './action-status.tsx';
import { api } from '../api/client.ts';
import { describeApp } from '../api/catalog.ts';
import type { ConnectionPermissions, ConnectionView } from '../api/types.ts';
import { ErrorText, Loading } from '../components/status.tsx';
import { formatDate } from '../format.ts';
import { Link, navigate } from '../router.tsx';
import { EndpointGrants } from '../scenarios/endpoint-grants.tsx';
import { useAsync } from '../use-async.ts';
import { ConnectionEvents } from './connection-events.tsx';
import { ConnectionSettings } from './connection-settings.tsx';
import { STATUS_SENTENCES, StatusBadge } from './connection-status.tsx';
import { DeleteConnectionDialog } from './delete-dialog.tsx';
import { useConnectionActions } from './use-connection-actions.ts';

/** Enough members to name who created a connection and who did each event. */
const MEMBERS_READ = 200;

/** `/connections/:id`: a connection's whole story, and what to do about it. */
export function ConnectionPage({ id, onNotice }: { id: string; onNotice: (message: string | null) => void }) {
  const loaded = useAsync(() => api('GET /connections/:id', { params: { id } }), id);
  if (loaded.error && !loaded.data)
    return (
      <section>
        <p>
          <Link to="/connections">Connections</Link>
        </p>
        <ErrorText>{loaded.error}</ErrorText>
      </section>
    );
  if (!loaded.data) return <Loading what="the connection" />;
  return <ConnectionDetails connection={loaded.data} onChanged={(next) => loaded.set(next)} onNotice={onNotice} />;
}

function ConnectionDetails({
  connection: c,
  onChanged,
  onNotice,
}: {
  connection: ConnectionView;
  onChanged: (connection: ConnectionView) => void;
  onNotice: (message: string | null) => void;
}) {
  // Every change of the connection is a new event: the list reads its newest page again.
  const [round, setRound] = useState(0);
  const changed = (next: ConnectionView) => {
    onChanged(next);
    setRound((r) => r + 1);
  };
  const { busy, note, verify, reauthorize, rename } = useConnectionActions(c, changed);
  const [renaming, setRenaming] = useState<string | null>(null);
  const [deleting, setDeleting] = useState(false);
  const app = useAsync(() => describeApp(c.app), c.app);
  const members = useAsync(
    () =>
      api('GET /teams/:id/members', { params: { id: c.teamId }, query: { limit: MEMBERS_READ } })
        .then((r) => r.items)
        .catch(() => []),
    c.teamId,
  );
  const usage = useAsync(
    () =>
      Promise.all(
        c.usedBy.map((s) =>
          api('GET /scenarios/:id/permissions', { params: { id: s.scenarioId } }).then(
            (p) => ({ scenario: s, permissions: p.connections.find((x) => x.connectionId === c.id) }),
            () => ({ scenario: s, permissions: undefined }),
          ),
        ),
      ),
    `${c.id}|${c.usedBy.map((s) => s.scenarioId).join(',')}|${c.updatedAt}`,
  );
  const appName = app.data?.name ?? c.app;
  const emailOf = (userId: string) => members.data?.find((m) => m.userId === userId)?.email;
  const actorName = (actor: string) =>
    actor === 'system' ? 'Hitch' : actor.startsWith('user:') ? (emailOf(actor.slice(5)) ?? 'a team member') : actor;
  const descriptions = new Map((app.data?.scopes ?? []).map((s) => [s.name, s.description]));
  const missing = (usage.data ?? []).flatMap((u) =>
    (u.permissions?.missing ?? []).map((scope) => ({ scope, scenario: u.scenario })),
  );
  const grants = (usage.data ?? []).flatMap((u) => (u.permissions ? [u.permissions] : []));
  const kind = app.data?.auth.find((k) => k.type === c.auth);
  const doing = busy !== null;

  async function saveName() {
    if (renaming !== null && (await rename(renaming))) setRenaming(null);
  }
  function onRenameKey(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key === 'Enter') {
      event.preventDefault();
      void saveName();
    } else if (event.key === 'Escape') {
      event.preventDefault();
      setRenaming(null);
    }
  }

  return (
    <article className="connection-page" aria-labelledby="connection-title">
      <p className="crumbs">
        <Link to="/connections">Connections</Link> ›
      </p>
      <div className="page-head">
        {renaming === null ? (
          <h1 id="connection-title">{c.name}</h1>
        ) : (
          <h1 id="connection-title">
            <input
              aria-label="New name"
              value={renaming}
              autoFocus
              disabled={doing}
              onChange={(e) => setRenaming(e.target.value)}
              onKeyDown={onRenameKey}
            />
          </h1>
        )}
        <div className="row-actions">
          <button
            type="button"
            disabled={doing}
            onClick={() => (renaming === null ? setRenaming(c.name) : void saveName())}
          >
            {renaming === null ? 'Rename' : 'Save name'}
          </button>
          <button type="button" onClick={() => void verify()} disabled={doing}>
            Verify
          </button>
          <button type="button" onClick={() => void reauthorize()} disabled={doing}>
            Reauthorize
          </button>
          <button type="button" className="danger" onClick={() => setDeleting(true)} disabled={doing}>
            Delete
          </button>
        </div>
      </div>
      <ActionStatus busy={busy} note={note} okClass="ok notice" />

      <section aria-labelledby="summary-title" className="panel">
        <h2 id="summary-title" className="visually-hidden">
          Summary
        </h2>
        <dl className="facts">
          <dt>App</dt>
          <dd>{appName}</dd>
          <dt>Account</dt>
          <dd>{c.account?.label ?? c.account?.id ?? 'not known yet'}</dd>
          <dt>Status</dt>
          <dd>
            <StatusBadge connection={c} /> <span className="status-sentence">{STATUS_SENTENCES[c.status]}</span>
          </dd>
          <dt>Created by</dt>
          <dd>{c.createdBy ? (emailOf(c.createdBy) ?? 'a team member') : 'Hitch'}</dd>
          <dt>Created</dt>
          <dd>{formatDate(c.createdAt)}</dd>
        </dl>
      </section>

      {c.lastError && (
        <section aria-labelledby="last-error-title" className="panel last-error-panel">
          <h2 id="last-error-title">Last error</h2>
          <p>
            {c.lastError.message}{' '}
            <small>
              ({c.lastError.code}
              {c.lastError.at ? `, ${formatDate(c.lastError.at)}` : ''})
            </small>
          </p>
          {c.lastError.action === 'reauthorize' && (
            <button type="button" onClick={() => void reauthorize()} disabled={doing}>
              Reauthorize
            </button>
          )}
          {c.lastError.action === 'verify' && (
            <button type="button" onClick={() => void verify()} disabled={doing}>
              Verify
            </button>
          )}
          {c.lastError.action === 'admin' && (
            <p className="warning">
              Ask an administrator to fix the app’s client or settings: {appName} refuses them, and reauthorizing cannot
              get past that.
            </p>
          )}
        </section>
      )}

      <section aria-labelledby="renewal-title" className="panel">
        <h2 id="renewal-title">Access and renewal</h2>
        <dl className="facts">
          <dt>Access expires</dt>
          <dd>{c.expiresAt ? formatDate(c.expiresAt) : 'does not expire, as far as the service says'}</dd>
          <dt>{c.reauthorizeBy ? 'Reauthorize by' : 'Renew by'}</dt>
          <dd>
            {c.reauthorizeBy
              ? `${formatDate(c.reauthorizeBy)}: refreshing cannot move this date, so a person must reauthorize before then.`
              : c.renewBy
                ? `${formatDate(c.renewBy)}: Hitch’s refreshes move this date on.`
                : 'no end known'}
          </dd>
          <dt>Last renewal</dt>
          <dd>{c.lastRenewedAt ? formatDate(c.lastRenewedAt) : 'not renewed yet'}</dd>
          <dt>Last verified</dt>
          <dd>{c.lastVerifiedAt ? formatDate(c.lastVerifiedAt) : 'not verified yet'}</dd>
        </dl>
      </section>

      <section aria-labelledby="permissions-title" className="panel">
        <h2 id="permissions-title">Permissions</h2>
        {c.fullAccess ? (
          <p>This connection has full access to the account: {appName} cannot limit it.</p>
        ) : c.permissions.length === 0 ? (
          <p>No permissions granted yet.</p>
        ) : (
          <ul className="permissions">
            {c.permissions.map((p) => (
              <li key={p.scope}>
                <code>{p.scope}</code> {p.description}
              </li>
            ))}
          </ul>
        )}
        {missing.length > 0 && (
          <div className="warning" role="group" aria-label="Missing permissions">
            <p>Scenarios using this connection need more than it has:</p>
            <ul>
              {missing.map(({ scope, scenario }) => (
                <li key={`${scenario.scenarioId}|${scope}`}>
                  <code>{scope}</code> {descriptions.get(scope) ?? ''} — for{' '}
                  <Link to={`/scenarios/${scenario.scenarioId}`}>{scenario.name}</Link>
                </li>
              ))}
            </ul>
            <p>Open the scenario and use Extend permissions to ask for them on this same connection.</p>
          </div>
        )}
      </section>

      {grants.some((g) => g.endpoints.length > 0) && (
        <div className="panel">
          <EndpointGrants
            intro="Hitch lets each scenario call only these endpoints through this connection:"
            connections={grants.map((g) => ({ ...g, name: scenarioNameOf(g, usage.data ?? []) }))}
          />
        </div>
      )}

      <section aria-labelledby="scenarios-title" className="panel">
        <h2 id="scenarios-title">Scenarios using it</h2>
        {c.usedBy.length === 0 ? (
          <p>No scenario uses this connection.</p>
        ) : (
          <ul>
            {c.usedBy.map((s) => (
              <li key={s.scenarioId}>
                <Link to={`/scenarios/${s.scenarioId}`}>{s.name}</Link>
              </li>
            ))}
          </ul>
        )}
      </section>

      {kind && <ConnectionSettings connection={c} kind={kind} onChanged={changed} />}

      <ConnectionEvents connectionId={c.id} round={round} actorName={actorName} />

      {deleting && (
        <DeleteConnectionDialog
          connection={c}
          appName={appName}
          onClose={() => setDeleting(false)}
          onDeleted={(message) => {
            onNotice(message);
            navigate('/connections');
          }}
        />
      )}
    </article>
  );
}

/** Endpoint grants are per scenario here: each group is named after its scenario. */
function scenarioNameOf(
  grant: ConnectionPermissions,
  usage: Array<{ scenario: { name: string }; permissions: ConnectionPermissions | undefined }>,
): string {
  return `For ${usage.find((u) => u.permissions === grant)?.scenario.name ?? 'a scenario'}`;
}
