import { useId } from 'react';
import type { ConnectionPermissions, ConnectionView, KeyView, ModuleListing, ScenarioModule } from '../api/types.ts';
import { KEY_TYPE_LABELS } from '../keys/key-fields.ts';
import { InputField } from './input-field.tsx';

export interface ExtendState {
  busy: boolean;
  note: { ok: boolean; text: string } | null;
}

interface Props {
  position: number;
  step: ScenarioModule;
  listing: ModuleListing | undefined;
  /** The team's connections of the module's app (undefined while loading). */
  connections: ConnectionView[] | undefined;
  keys: KeyView[] | undefined;
  /** What the saved scenario's connection for this module lacks, from the permissions endpoint. */
  missing: string[];
  describeScope: (scope: string) => string;
  extend: ExtendState;
  onChange: (step: ScenarioModule) => void;
  onRemove: () => void;
  onAddConnection: () => void;
  onAddKey: () => void;
  onExtend: () => void;
}

/** One module of a scenario: Connection or Key first (with Add), then the module's declared fields in order. */
export function ModuleCard({
  position,
  step,
  listing,
  connections,
  keys,
  missing,
  describeScope,
  extend,
  onChange,
  onRemove,
  onAddConnection,
  onAddKey,
  onExtend,
}: Props) {
  const headingId = useId();
  const fieldId = useId();
  const title = `${position}. ${listing?.appName ?? step.app}: ${listing?.name ?? step.module}`;
  const set = (patch: Partial<ScenarioModule>) => {
    // An emptied Connection or Key leaves the field out rather than sending ''.
    const { connectionId, keyId, ...rest } = { ...step, ...patch };
    onChange({ ...rest, ...(connectionId ? { connectionId } : {}), ...(keyId ? { keyId } : {}) });
  };
  const setInput = (name: string, value: unknown) => {
    const inputs =
      value === undefined
        ? Object.fromEntries(Object.entries(step.inputs).filter(([k]) => k !== name))
        : { ...step.inputs, [name]: value };
    onChange({ ...step, inputs });
  };

  return (
    <li className="module" aria-labelledby={headingId}>
      <h3 id={headingId}>{title}</h3>
      <small>
        Module id {step.id}: later modules map its output as <code>{`{{${step.id}.body}}`}</code>.
      </small>
      {!listing && (
        <p className="error">This module is no longer offered by {step.app}: remove it or ask an administrator.</p>
      )}
      {listing?.fields.map((field) => {
        if (field.type === 'connection') {
          const own = connections ?? [];
          return (
            <div className="field" key="connection">
              <label htmlFor={`${fieldId}-connection`}>Connection</label>
              <div className="field-row">
                <select
                  id={`${fieldId}-connection`}
                  value={step.connectionId ?? ''}
                  onChange={(e) => set({ connectionId: e.target.value })}
                  aria-busy={connections === undefined}
                >
                  <option value="">
                    {connections === undefined
                      ? 'Loading connections…'
                      : own.length
                        ? 'Choose a connection'
                        : 'No connection yet: Add one'}
                  </option>
                  {own.map((c) => (
                    <option key={c.id} value={c.id}>
                      {c.name}
                      {c.account?.label ? ` (${c.account.label})` : ''}
                      {c.status !== 'active' ? ` — ${c.status.replace('_', ' ')}` : ''}
                    </option>
                  ))}
                </select>
                <button type="button" onClick={onAddConnection} aria-label={`Add a connection for module ${position}`}>
                  Add
                </button>
              </div>
            </div>
          );
        }
        if (field.type === 'key') {
          const own = keys ?? [];
          return (
            <div className="field" key="key">
              <label htmlFor={`${fieldId}-key`}>Key</label>
              <div className="field-row">
                <select
                  id={`${fieldId}-key`}
                  value={step.keyId ?? ''}
                  onChange={(e) => set({ keyId: e.target.value })}
                  aria-busy={keys === undefined}
                >
                  <option value="">
                    {keys === undefined
                      ? 'Loading keys…'
                      : own.length
                        ? `Choose a ${KEY_TYPE_LABELS[field.keyType]}`
                        : `No ${KEY_TYPE_LABELS[field.keyType]} yet: Add one`}
                  </option>
                  {own.map((k) => (
                    <option key={k.id} value={k.id}>
                      {k.name}
                    </option>
                  ))}
                </select>
                <button type="button" onClick={onAddKey} aria-label={`Add a key for module ${position}`}>
                  Add
                </button>
              </div>
            </div>
          );
        }
        return (
          <InputField
            key={`${step.id}-${field.name}`}
            input={field}
            value={step.inputs[field.name]}
            onChange={(v) => setInput(field.name, v)}
          />
        );
      })}
      {missing.length > 0 && (
        <div className="warning" role="note" aria-label={`Missing permissions of module ${position}`}>
          <p>The selected connection lacks permissions this scenario needs:</p>
          <ul>
            {missing.map((s) => (
              <li key={s}>
                <code>{s}</code> {describeScope(s)}
              </li>
            ))}
          </ul>
          <button type="button" onClick={onExtend} disabled={extend.busy}>
            Extend permissions
          </button>
        </div>
      )}
      {extend.busy && (
        <p role="status" className="loading">
          <span className="spinner" aria-hidden="true" /> Waiting for you to grant the permissions in the other window…
        </p>
      )}
      {extend.note && (
        <p role={extend.note.ok ? 'status' : 'alert'} className={extend.note.ok ? 'ok' : 'error'}>
          {extend.note.text}
        </p>
      )}
      <div className="actions">
        <button type="button" className="secondary" onClick={onRemove}>
          Remove module
        </button>
      </div>
    </li>
  );
}

/**
 * The missing scopes to show at one module: those it declares itself; the first
 * module on a connection also shows what no module declares (the app's base scopes).
 */
export function missingAt(
  listing: ModuleListing | undefined,
  permissions: ConnectionPermissions | undefined,
  first: boolean,
  declaredOnConnection: ReadonlySet<string>,
): string[] {
  if (!permissions) return [];
  return permissions.missing.filter((s) => listing?.scopes.includes(s) || (first && !declaredOnConnection.has(s)));
}
