import { useCallback, useEffect, useRef, useState } from 'react';
import { api, ApiError, messageOf } from '../api/client.ts';
import { describeApp } from '../api/catalog.ts';
import { listModules } from '../api/modules.ts';
import type {
  AppDescription,
  ConnectionView,
  ExecutionView,
  KeyType,
  KeyView,
  ModuleListing,
  ScenarioModule,
  ScenarioPermissionsResponse,
  UpdateScenarioRequest,
} from '../api/types.ts';
import { ErrorText, Loading } from '../components/status.tsx';
import { AddConnectionDialog } from '../connections/add-connection-dialog.tsx';
import { reauthorizeConnection } from '../connections/reauthorize.ts';
import type { Returned } from '../connections/returned.ts';
import { KeyDialog } from '../keys/key-dialog.tsx';
import { Link } from '../router.tsx';
import { useSession } from '../session.tsx';
import { useAsync } from '../use-async.ts';
import { AddModuleForm } from './add-module-form.tsx';
import { EndpointGrants } from './endpoint-grants.tsx';
import { missingAt, ModuleCard, type ExtendState } from './module-card.tsx';
import { RunResult } from './run-result.tsx';

interface Props {
  id: string;
  notice: string | null;
  onNotice: (message: string | null) => void;
  returned: Returned | null;
}

type Listed<T> = Record<string, T[] | undefined>;

const connectionAppOf = (listing: ModuleListing | undefined) =>
  listing?.fields.find((f) => f.type === 'connection')?.app;
const keyTypeOf = (listing: ModuleListing | undefined) => {
  const field = listing?.fields.find((f) => f.type === 'key');
  return field?.type === 'key' ? field.keyType : undefined;
};

/** A scenario: its modules in order, each with its connection or key and its fields; Save, Run, Extend permissions. */
export function ScenarioEditor({ id, notice, onNotice, returned }: Props) {
  const { team } = useSession();
  const scenario = useAsync(() => api('GET /scenarios/:id', { params: { id } }), id);
  const listings = useAsync(listModules, 'modules');
  const [name, setName] = useState('');
  const [steps, setSteps] = useState<ScenarioModule[]>([]);
  const [dirty, setDirty] = useState(false);
  const [connections, setConnections] = useState<Listed<ConnectionView>>({});
  const [keys, setKeys] = useState<Listed<KeyView>>({});
  const [apps, setApps] = useState<Record<string, AppDescription>>({});
  const [permissions, setPermissions] = useState<ScenarioPermissionsResponse | null>(null);
  const [picking, setPicking] = useState(false);
  const [addingConnection, setAddingConnection] = useState<{
    moduleId: number;
    app: string;
    scopes: string[];
    retry?: { connectionId: string; error: string };
  } | null>(null);
  const [addingKey, setAddingKey] = useState<{ moduleId: number; type: KeyType } | null>(null);
  const [extend, setExtend] = useState<Record<number, ExtendState>>({});
  const [busy, setBusy] = useState<'saving' | 'running' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [execution, setExecution] = useState<ExecutionView | null>(null);
  const initialized = useRef(false);
  // The apps and key types whose lists were asked for (a failed load is not retried, as before).
  const requestedConnections = useRef(new Set<string>());
  const requestedKeys = useRef(new Set<KeyType>());

  const listingOf = useCallback(
    (step: ScenarioModule) => listings.data?.find((l) => l.app === step.app && l.id === step.module),
    [listings.data],
  );

  const loadConnections = useCallback(
    async (app: string) => {
      const page = await api('GET /connections', { query: { teamId: team.id, app, limit: 200 } });
      setConnections((all) => ({ ...all, [app]: page.items }));
      return page.items;
    },
    [team.id],
  );
  const loadKeys = useCallback(
    async (type: KeyType) => {
      const page = await api('GET /keys', { query: { teamId: team.id, type, limit: 200 } });
      setKeys((all) => ({ ...all, [type]: page.items }));
      return page.items;
    },
    [team.id],
  );
  const loadPermissions = useCallback(() => {
    api('GET /scenarios/:id/permissions', { params: { id } }).then(setPermissions, (e: unknown) =>
      setError(messageOf(e)),
    );
  }, [id]);

  /** Saves name and modules as they are now; throws the server's sentence (naming the module and field) when refused. */
  const persist = useCallback(
    async (modules: ScenarioModule[]) => {
      const body: UpdateScenarioRequest = { name, modules };
      const view = await api('PATCH /scenarios/:id', { params: { id }, body });
      scenario.set(view);
      setDirty(false);
      loadPermissions();
      return view;
    },
    [id, name, scenario, loadPermissions],
  );

  // The first load fills the form; a same-tab authorization that came back puts its connection into its module.
  useEffect(() => {
    if (!scenario.data || initialized.current) return;
    initialized.current = true;
    setName(scenario.data.name);
    let next = scenario.data.modules;
    const moduleId = returned?.context.moduleId;
    if (returned && moduleId !== undefined && next.some((s) => s.id === moduleId)) {
      if (returned.outcome.ok && returned.context.purpose === 'create') {
        next = next.map((s) => (s.id === moduleId ? { ...s, connectionId: returned.context.connectionId } : s));
        const body: UpdateScenarioRequest = { modules: next };
        void api('PATCH /scenarios/:id', { params: { id }, body }).then(loadPermissions, (e: unknown) =>
          setError(messageOf(e)),
        );
      } else if (!returned.outcome.ok && returned.context.purpose === 'create') {
        // eslint-disable-next-line react-hooks/set-state-in-effect -- runs once, when the scenario first arrives from the server: its module must exist before the failed authorization's dialog reopens for it.
        setAddingConnection({
          moduleId,
          app: returned.context.appId,
          scopes: [],
          retry: { connectionId: returned.context.connectionId, error: returned.outcome.message },
        });
      }
    }
    setSteps(next);
    loadPermissions();
  }, [scenario.data, returned, id, loadPermissions]);

  // What the modules' Connection and Key fields list, and the apps' scope descriptions.
  const connectionApps = [
    ...new Set(steps.map((s) => connectionAppOf(listingOf(s))).filter((a): a is string => a !== undefined)),
  ];
  const keyTypes = [...new Set(steps.map((s) => keyTypeOf(listingOf(s))).filter((t): t is KeyType => t !== undefined))];
  useEffect(() => {
    for (const app of connectionApps) {
      // Until its list arrives, an app's Connection field shows Loading (`connections[app]` is undefined).
      if (!(app in connections) && !requestedConnections.current.has(app)) {
        requestedConnections.current.add(app);
        loadConnections(app).catch((e: unknown) => setError(messageOf(e)));
      }
      if (!apps[app])
        describeApp(app).then(
          (d) => setApps((all) => ({ ...all, [app]: d })),
          (e: unknown) => setError(messageOf(e)),
        );
    }
    for (const type of keyTypes) {
      if (!(type in keys) && !requestedKeys.current.has(type)) {
        requestedKeys.current.add(type);
        loadKeys(type).catch((e: unknown) => setError(messageOf(e)));
      }
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only a new app or key type means more to load.
  }, [connectionApps.join(','), keyTypes.join(',')]);

  function change(next: ScenarioModule[]) {
    setSteps(next);
    setDirty(true);
    setSaved(null);
  }

  async function addModule(listing: ModuleListing) {
    setPicking(false);
    const step: ScenarioModule = {
      id: Math.max(0, ...steps.map((s) => s.id)) + 1,
      app: listing.app,
      module: listing.id,
      inputs: {},
    };
    const app = connectionAppOf(listing);
    if (app) {
      // The connection this scenario already uses for that app, or the team's only one.
      const used = steps.find((s) => s.connectionId && connectionAppOf(listingOf(s)) === app)?.connectionId;
      const own = connections[app] ?? (await loadConnections(app).catch(() => []));
      const only = own.length === 1 ? own[0]!.id : undefined;
      const chosen = used ?? only;
      if (chosen) step.connectionId = chosen;
    }
    change([...steps, step]);
  }

  async function save() {
    setError(null);
    setSaved(null);
    setBusy('saving');
    try {
      await persist(steps);
      setSaved('The scenario is saved.');
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(null);
    }
  }

  async function run() {
    setError(null);
    setSaved(null);
    setExecution(null);
    setBusy('running');
    try {
      if (dirty) await persist(steps);
      const { execution } = await api('POST /scenarios/:id/run', { params: { id }, body: {} });
      setExecution(execution);
    } catch (e) {
      setError(messageOf(e));
      if (e instanceof ApiError) loadPermissions();
    } finally {
      setBusy(null);
    }
  }

  /** Add beside Connection: the scenario is saved first, so the server asks for exactly what its modules need. */
  async function addConnection(step: ScenarioModule) {
    const app = connectionAppOf(listingOf(step));
    if (!app) return;
    setError(null);
    let scopes: string[] = [];
    try {
      await persist(steps);
    } catch {
      // Not savable yet (a required field is empty): ask for the scopes these modules declare instead.
      scopes = [
        ...new Set(
          steps.filter((s) => connectionAppOf(listingOf(s)) === app).flatMap((s) => listingOf(s)?.scopes ?? []),
        ),
      ];
    }
    if (!apps[app]) setApps({ ...apps, [app]: await describeApp(app) });
    setAddingConnection({ moduleId: step.id, app, scopes });
  }

  function extendPermissions(step: ScenarioModule) {
    const connectionId = step.connectionId;
    const app = connectionAppOf(listingOf(step));
    if (!connectionId || !app) return;
    const target = connections[app]?.find((c) => c.id === connectionId) ?? { id: connectionId, app };
    setExtend((all) => ({ ...all, [step.id]: { busy: true, note: null } }));
    // Called inside the click: the popup opens before the scenario is saved.
    reauthorizeConnection(target, {
      scenarioId: id,
      moduleId: step.id,
      ...(dirty
        ? {
            prepare: async () => {
              await persist(steps);
            },
          }
        : {}),
    }).then(
      (outcome) => {
        setExtend((all) => ({
          ...all,
          [step.id]: {
            busy: false,
            note: {
              ok: outcome.ok,
              text: outcome.ok ? 'The connection now has the permissions this scenario needs.' : outcome.message,
            },
          },
        }));
        loadPermissions();
        void loadConnections(app);
      },
      (e: unknown) =>
        setExtend((all) => ({ ...all, [step.id]: { busy: false, note: { ok: false, text: messageOf(e) } } })),
    );
  }

  if ((scenario.loading && !scenario.data) || (listings.loading && !listings.data))
    return <Loading what="the scenario" />;
  if (!scenario.data || !listings.data) return <ErrorText>{scenario.error ?? listings.error}</ErrorText>;

  // Per connection: its first module, and every scope its modules declare.
  const firstOnConnection = new Set<number>();
  const declared = new Map<string, Set<string>>();
  for (const s of steps) {
    if (!s.connectionId) continue;
    if (!declared.has(s.connectionId)) {
      declared.set(s.connectionId, new Set());
      firstOnConnection.add(s.id);
    }
    for (const scope of listingOf(s)?.scopes ?? []) declared.get(s.connectionId)!.add(scope);
  }
  const addingStep = addingConnection ? steps.find((s) => s.id === addingConnection.moduleId) : undefined;
  const addingApp = addingConnection ? apps[addingConnection.app] : undefined;

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
      {scenario.data.pausedReason && <p className="warning">This scenario is paused: {scenario.data.pausedReason}</p>}
      <label>
        Scenario name
        <input
          value={name}
          maxLength={128}
          onChange={(e) => {
            setName(e.target.value);
            setDirty(true);
          }}
        />
      </label>
      <h2>Modules</h2>
      {steps.length === 0 && (
        <p className="empty">This scenario has no modules yet: Add module to choose what it does.</p>
      )}
      <ol className="modules">
        {steps.map((step, index) => {
          const listing = listingOf(step);
          const app = connectionAppOf(listing);
          const type = keyTypeOf(listing);
          const perm = permissions?.connections.find((c) => c.connectionId === step.connectionId);
          const savedStep = scenario.data?.modules.find((s) => s.id === step.id);
          // The permissions describe the saved scenario: only trust them for a connection that is saved there.
          const missing =
            savedStep?.connectionId === step.connectionId
              ? missingAt(
                  listing,
                  perm,
                  firstOnConnection.has(step.id),
                  declared.get(step.connectionId ?? '') ?? new Set(),
                )
              : [];
          return (
            <ModuleCard
              key={step.id}
              position={index + 1}
              step={step}
              listing={listing}
              connections={app ? connections[app] : undefined}
              keys={type ? keys[type] : undefined}
              missing={missing}
              describeScope={(scope) =>
                app ? (apps[app]?.scopes.find((s) => s.name === scope)?.description ?? '') : ''
              }
              extend={extend[step.id] ?? { busy: false, note: null }}
              onChange={(next) => change(steps.map((s) => (s.id === step.id ? next : s)))}
              onRemove={() => change(steps.filter((s) => s.id !== step.id))}
              onAddConnection={() => void addConnection(step)}
              onAddKey={() => type && setAddingKey({ moduleId: step.id, type })}
              onExtend={() => extendPermissions(step)}
            />
          );
        })}
      </ol>
      {picking ? (
        <AddModuleForm modules={listings.data} onAdd={(l) => void addModule(l)} onCancel={() => setPicking(false)} />
      ) : (
        <button type="button" onClick={() => setPicking(true)}>
          Add module
        </button>
      )}
      <ErrorText>{error}</ErrorText>
      {saved && (
        <p role="status" className="ok">
          {saved}
        </p>
      )}
      {busy && (
        <p role="status" className="loading">
          <span className="spinner" aria-hidden="true" /> {busy === 'saving' ? 'Saving…' : 'Running the scenario…'}
        </p>
      )}
      <div className="actions">
        <button type="button" onClick={() => void save()} disabled={busy !== null}>
          Save
        </button>
        <button
          type="button"
          className="secondary"
          onClick={() => void run()}
          disabled={busy !== null || steps.length === 0}
        >
          Run
        </button>
        {dirty && <small className="unsaved">Unsaved changes</small>}
      </div>
      {permissions && <EndpointGrants connections={permissions.connections} />}
      {execution && <RunResult execution={execution} steps={steps} listings={listings.data} />}
      {addingConnection && addingStep && addingApp && (
        <AddConnectionDialog
          teamId={team.id}
          app={addingApp}
          scenarioId={id}
          scopes={addingConnection.scopes}
          returnTo={{ path: `/scenarios/${id}`, moduleId: addingConnection.moduleId }}
          {...(addingConnection.retry ? { retry: addingConnection.retry } : {})}
          onClose={() => setAddingConnection(null)}
          onConnected={(connection, message) => {
            const moduleId = addingConnection.moduleId;
            setAddingConnection(null);
            setConnections((all) => ({
              ...all,
              [connection.app]: [connection, ...(all[connection.app] ?? []).filter((c) => c.id !== connection.id)],
            }));
            const next = steps.map((s) => (s.id === moduleId ? { ...s, connectionId: connection.id } : s));
            setSteps(next);
            onNotice(message);
            // Saved at once, so the connection's "used in" counts this scenario; a refusal leaves the change to Save.
            persist(next).catch(() => setDirty(true));
          }}
        />
      )}
      {addingKey && (
        <KeyDialog
          teamId={team.id}
          fixedType={addingKey.type}
          onClose={() => setAddingKey(null)}
          onSaved={(key) => {
            const moduleId = addingKey.moduleId;
            setAddingKey(null);
            setKeys((all) => ({ ...all, [key.type]: [key, ...(all[key.type] ?? [])] }));
            change(steps.map((s) => (s.id === moduleId ? { ...s, keyId: key.id } : s)));
            onNotice(`The key ${key.name} was added.`);
          }}
        />
      )}
    </section>
  );
}
