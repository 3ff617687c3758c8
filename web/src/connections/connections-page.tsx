import { useEffect, useState } from 'react';
import { api } from '../api/client.ts';
import { describeApp, listApps } from '../api/catalog.ts';
import type { AppDescription, ConnectionStatus } from '../api/types.ts';
import { Modal } from '../components/modal.tsx';
import { Empty, ErrorText, Loading } from '../components/status.tsx';
import { STATUS_LABELS } from '../format.ts';
import { AppFilter } from '../picker/app-filter.tsx';
import { PickApp } from '../picker/pick-app.tsx';
import { useSession } from '../session.tsx';
import { useAsync } from '../use-async.ts';
import { AddConnectionDialog } from './add-connection-dialog.tsx';
import type { Returned } from './returned.ts';
import { ConnectionRow } from './connection-row.tsx';

const PAGE_SIZE = 20;

/** Connections: the team's table with filters, pages and per-row actions. */
export function ConnectionsPage({
  notice,
  onNotice,
  returned,
}: {
  notice: string | null;
  onNotice: (message: string | null) => void;
  returned: Returned | null;
}) {
  const { team } = useSession();
  const [appFilter, setAppFilter] = useState('');
  const [statusFilter, setStatusFilter] = useState<ConnectionStatus | ''>('');
  // Cursors of the pages before the current one, for Previous.
  const [cursors, setCursors] = useState<Array<string | undefined>>([undefined]);
  const cursor = cursors[cursors.length - 1];
  const apps = useAsync(() => listApps().catch(() => []), 'apps');
  const page = useAsync(
    () =>
      api('GET /connections', {
        query: { teamId: team.id, app: appFilter, status: statusFilter || undefined, cursor, limit: PAGE_SIZE },
      }),
    `${team.id}|${appFilter}|${statusFilter}|${cursor ?? ''}`,
  );
  const [choosing, setChoosing] = useState(false);
  const [adding, setAdding] = useState<AppDescription | null>(null);
  const [addError, setAddError] = useState<string | null>(null);
  const [retry, setRetry] = useState<{ connectionId: string; error: string } | undefined>(undefined);
  // Back from a same-tab authorization that failed: the dialog opens again, saying why.
  useEffect(() => {
    if (!returned || returned.outcome.ok || returned.context.purpose !== 'create') return;
    describeApp(returned.context.appId).then(
      (app) => {
        setRetry({ connectionId: returned.context.connectionId, error: returned.outcome.message });
        setAdding(app);
      },
      () => onNotice(returned.outcome.message),
    );
  }, [returned, onNotice]);
  const appName = (id: string) => apps.data?.find((a) => a.id === id)?.name ?? id;

  const filter = (apply: () => void) => {
    apply();
    setCursors([undefined]);
  };

  async function startAdd(appId: string) {
    setAddError(null);
    try {
      setAdding(await describeApp(appId));
      setChoosing(false);
    } catch (e) {
      setAddError((e as Error).message);
    }
  }

  const items = page.data?.items ?? [];
  const filtered = appFilter !== '' || statusFilter !== '';
  return (
    <section aria-labelledby="connections-title">
      <div className="page-head">
        <h1 id="connections-title">Connections</h1>
        <button type="button" onClick={() => setChoosing(true)}>
          Add connection
        </button>
      </div>
      {notice && (
        <p role="status" className="ok notice">
          {notice}
        </p>
      )}
      <div className="filters" role="group" aria-label="Filters">
        <AppFilter apps={apps.data} value={appFilter} onChange={(id) => filter(() => setAppFilter(id))} />
        <label>
          Status
          <select
            value={statusFilter}
            onChange={(e) => filter(() => setStatusFilter(e.target.value as ConnectionStatus | ''))}
          >
            <option value="">All statuses</option>
            {(Object.keys(STATUS_LABELS) as ConnectionStatus[]).map((s) => (
              <option key={s} value={s}>
                {STATUS_LABELS[s]}
              </option>
            ))}
          </select>
        </label>
      </div>
      <ErrorText>{page.error}</ErrorText>
      {page.loading && !page.data ? (
        <Loading what="connections" />
      ) : items.length === 0 && !page.error ? (
        <Empty>
          {filtered ? (
            <p>No connection matches these filters: choose other ones, or All.</p>
          ) : (
            <p>{team.name} has no connections yet. Add one with Add connection, or from a module in a scenario.</p>
          )}
        </Empty>
      ) : (
        <table className="connections">
          <caption className="visually-hidden">Connections of {team.name}</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">App</th>
              <th scope="col">Status</th>
              <th scope="col">Expiry</th>
              <th scope="col">Use</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {items.map((c) => (
              <ConnectionRow
                key={c.id}
                connection={c}
                appName={appName(c.app)}
                onNotice={onNotice}
                onChanged={(next) =>
                  page.set({
                    items: items.map((x) => (x.id === next.id ? next : x)),
                    nextCursor: page.data?.nextCursor ?? null,
                  })
                }
                onDeleted={(id) =>
                  page.set({ items: items.filter((x) => x.id !== id), nextCursor: page.data?.nextCursor ?? null })
                }
              />
            ))}
          </tbody>
        </table>
      )}
      {(cursors.length > 1 || page.data?.nextCursor) && (
        <nav className="pager" aria-label="Pages">
          <button type="button" disabled={cursors.length <= 1} onClick={() => setCursors(cursors.slice(0, -1))}>
            Previous
          </button>
          <button
            type="button"
            disabled={!page.data?.nextCursor}
            onClick={() => page.data?.nextCursor && setCursors([...cursors, page.data.nextCursor])}
          >
            Next
          </button>
        </nav>
      )}
      {choosing && (
        <Modal title="Add a connection" onClose={() => setChoosing(false)} wide>
          <PickApp choose="app" label="Choose the app to connect" onPick={({ app }) => void startAdd(app.id)} />
          <ErrorText>{addError}</ErrorText>
          <div className="actions">
            <button type="button" className="secondary" onClick={() => setChoosing(false)}>
              Cancel
            </button>
          </div>
        </Modal>
      )}
      {adding && (
        <AddConnectionDialog
          teamId={team.id}
          app={adding}
          returnTo={{ path: '/connections' }}
          {...(retry ? { retry } : {})}
          onClose={() => {
            setAdding(null);
            setRetry(undefined);
          }}
          onConnected={(connection, message) => {
            setAdding(null);
            setRetry(undefined);
            onNotice(message);
            page.set({
              items: [connection, ...items.filter((x) => x.id !== connection.id)],
              nextCursor: page.data?.nextCursor ?? null,
            });
          }}
        />
      )}
    </section>
  );
}
