import { useEffect, useState } from 'react';
import { api, messageOf } from '../api/client.ts';
import { describeApp, listApps } from '../api/catalog.ts';
import type { AppDescription, ConnectionView, Page, ScenarioModule, ScenarioView } from '../api/types.ts';
import { ErrorText, Loading } from '../components/status.tsx';
import { AddConnectionDialog } from '../connections/add-connection-dialog.tsx';
import type { Returned } from '../connections/returned.ts';
import { Link } from '../router.tsx';
import { useSession } from '../session.tsx';
import { useAsync } from '../use-async.ts';
import { ModuleCard } from './module-card.tsx';

interface Props {
  id: string;
  notice: string | null;
  onNotice(message: string | null): void;
  returned: Returned | null;
}

/** A scenario: its modules in order, each with its connection and fields. */
export function ScenarioEditor({ id, notice, onNotice, returned }: Props) {
  const { team } = useSession();
  const scenario = useAsync(() => api<ScenarioView>('GET', `/scenarios/${id}`), id);
  const apps = useAsync(listApps, 'apps');
  const connections = useAsync(() => api<Page<ConnectionView>>('GET', '/connections', { query: { teamId: team.id, limit: 200 } }).then((p) => p.items), team.id);
  const [described, setDescribed] = useState<Record<string, AppDescription>>({});
  const [name, setName] = useState('');
  const [steps, setSteps] = useState<ScenarioModule[]>([]);
  const [picking, setPicking] = useState<{ app: string; module: string } | null>(null);
  const [adding, setAdding] = useState<{ index: number; retry?: { connectionId: string; error: string } } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);

  useEffect(() => {
    if (!scenario.data) return;
    setName(scenario.data.name);
    let next = scenario.data.modules;
    // Back from a same-tab authorization: the new connection goes into the module that asked.
    const index = returned?.context.moduleIndex;
    if (returned && index !== undefined && next[index]) {
      if (returned.outcome.ok) next = next.map((s, i) => (i === index ? { ...s, connectionId: returned.context.connectionId } : s));
      else if (returned.context.purpose === 'create') setAdding({ index, retry: { connectionId: returned.context.connectionId, error: returned.outcome.message } });
    }
    setSteps(next);
  }, [scenario.data, returned]);

  const appIds = [...new Set([...steps.map((s) => s.app), ...(picking?.app ? [picking.app] : [])])].join(',');
  useEffect(() => {
    for (const appId of appIds.split(',').filter(Boolean)) {
      if (!described[appId]) describeApp(appId).then((app) => setDescribed((d) => ({ ...d, [appId]: app })), (e: unknown) => setError(messageOf(e)));
    }
  }, [appIds]);

  async function save(modules = steps) {
    setError(null);
    setSaved(null);
    try {
      scenario.set(await api<ScenarioView>('PATCH', `/scenarios/${id}`, { body: { name, modules } }));
      setSaved('The scenario is saved.');
    } catch (e) {
      setError(messageOf(e));
    }
  }

  if (scenario.loading && !scenario.data) return <Loading what="the scenario" />;
  if (!scenario.data) return <ErrorText>{scenario.error}</ErrorText>;

  const pickedApp = picking?.app ? described[picking.app] : undefined;
  const addingStep = adding ? steps[adding.index] : undefined;
  const addingApp = addingStep ? described[addingStep.app] : undefined;
  return (
    <section aria-labelledby="scenario-title">
      <p>
        <Link to="/scenarios">All scenarios</Link>
      </p>
      <h1 id="scenario-title">{name || 'Scenario'}</h1>
      {notice && (
        <p role="status" className="ok notice">
          {notice}
        </p>
      )}
      <label>
        Scenario name
        <input value={name} onChange={(e) => setName(e.target.value)} />
      </label>
      <h2>Modules</h2>
      {steps.length === 0 && <p className="empty">This scenario has no modules yet: Add module to choose what it does.</p>}
      <ol className="modules">
        {steps.map((step, index) => (
          <ModuleCard
            key={index}
            index={index}
            step={step}
            app={described[step.app]}
            connections={connections.data ?? []}
            onChange={(next) => setSteps(steps.map((s, i) => (i === index ? next : s)))}
            onRemove={() => setSteps(steps.filter((_, i) => i !== index))}
            onAddConnection={() => setAdding({ index })}
            onConnectionChanged={() => connections.reload()}
          />
        ))}
      </ol>
      {picking ? (
        <form
          className="inline-form"
          aria-label="Add module"
          onSubmit={(e) => {
            e.preventDefault();
            if (!picking.app || !picking.module) return;
            setSteps([...steps, { app: picking.app, module: picking.module, connectionId: null, inputs: {} }]);
            setPicking(null);
          }}
        >
          <label>
            App
            <select value={picking.app} onChange={(e) => setPicking({ app: e.target.value, module: '' })} autoFocus>
              <option value="">Choose an app</option>
              {(apps.data ?? []).filter((a) => a.modules.length > 0).map((a) => (
                <option key={a.id} value={a.id}>
                  {a.name}
                </option>
              ))}
            </select>
          </label>
          <label>
            Module
            <select value={picking.module} onChange={(e) => setPicking({ ...picking, module: e.target.value })} disabled={!pickedApp}>
              <option value="">Choose a module</option>
              {(pickedApp?.modules ?? []).map((m) => (
                <option key={m.id} value={m.id}>
                  {m.name}
                </option>
              ))}
            </select>
          </label>
          <button type="submit" disabled={!picking.module}>
            Add to scenario
          </button>
          <button type="button" className="secondary" onClick={() => setPicking(null)}>
            Cancel
          </button>
        </form>
      ) : (
        <button type="button" onClick={() => setPicking({ app: '', module: '' })}>
          Add module
        </button>
      )}
      <ErrorText>{error}</ErrorText>
      {saved && <p role="status" className="ok">{saved}</p>}
      <div className="actions">
        <button type="button" onClick={() => void save()}>
          Save scenario
        </button>
      </div>
      {adding && addingStep && addingApp && (
        <AddConnectionDialog
          teamId={team.id}
          app={addingApp}
          scopes={addingApp.modules.find((m) => m.id === addingStep.module)?.scopes ?? []}
          returnTo={{ path: `/scenarios/${id}`, moduleIndex: adding.index }}
          {...(adding.retry ? { retry: adding.retry } : {})}
          onClose={() => setAdding(null)}
          onConnected={(connection, message) => {
            const index = adding.index;
            setAdding(null);
            connections.set([connection, ...(connections.data ?? []).filter((c) => c.id !== connection.id)]);
            const next = steps.map((s, i) => (i === index ? { ...s, connectionId: connection.id } : s));
            setSteps(next);
            onNotice(message);
            // Saved at once, so the connection's "used in" counts this scenario.
            void save(next);
          }}
        />
      )}
    </section>
  );
}
