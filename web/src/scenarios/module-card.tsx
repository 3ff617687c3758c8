import { useState } from 'react';
import { messageOf } from '../api/client.ts';
import type { AppDescription, ConnectionView, ScenarioModule } from '../api/types.ts';
import { reauthorizeConnection } from '../connections/reauthorize.ts';

interface Props {
  index: number;
  step: ScenarioModule;
  app: AppDescription | undefined;
  connections: ConnectionView[];
  onChange(step: ScenarioModule): void;
  onRemove(): void;
  onAddConnection(): void;
  onConnectionChanged(connection: ConnectionView): void;
}

/** One module of a scenario: Connection first (with Add), then the module's own fields. */
export function ModuleCard({ index, step, app, connections, onChange, onRemove, onAddConnection, onConnectionChanged }: Props) {
  const module = app?.modules.find((m) => m.id === step.module);
  const [extendNote, setExtendNote] = useState<{ ok: boolean; text: string } | null>(null);
  const [extending, setExtending] = useState(false);
  const needsConnection = (app?.auth.length ?? 0) > 0;
  const own = connections.filter((c) => c.app === step.app);
  const selected = own.find((c) => c.id === step.connectionId);
  const missing = selected && !selected.fullAccess && module ? module.scopes.filter((s) => !selected.scopes.includes(s)) : [];
  const describe = (scope: string) => app?.scopes.find((s) => s.name === scope)?.description ?? scope;
  const fieldId = (name: string) => `m${index}-${name}`;

  async function extend() {
    if (!selected) return;
    setExtending(true);
    setExtendNote(null);
    try {
      const outcome = await reauthorizeConnection(selected, { scopes: missing, moduleIndex: index });
      setExtendNote({ ok: outcome.ok, text: outcome.ok ? 'The connection now has the permissions this module needs.' : outcome.message });
      if (outcome.ok) onConnectionChanged(selected);
    } catch (e) {
      setExtendNote({ ok: false, text: messageOf(e) });
    } finally {
      setExtending(false);
    }
  }

  return (
    <li className="module">
      <h3>
        {index + 1}. {app?.name ?? step.app}: {module?.name ?? step.module}
      </h3>
      {needsConnection && (
        <div className="field-row">
          <label htmlFor={fieldId('connection')}>Connection</label>
          <select id={fieldId('connection')} value={step.connectionId ?? ''} onChange={(e) => onChange({ ...step, connectionId: e.target.value || null })}>
            <option value="">{own.length ? 'Choose a connection' : 'No connection yet: Add one'}</option>
            {own.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
                {c.account?.label ? ` (${c.account.label})` : ''}
              </option>
            ))}
          </select>
          <button type="button" onClick={onAddConnection} aria-label={`Add a connection for module ${index + 1}`}>
            Add
          </button>
        </div>
      )}
      {missing.length > 0 && (
        <div className="warning" role="note">
          <p>This connection lacks permissions this module needs:</p>
          <ul>
            {missing.map((s) => (
              <li key={s}>
                <code>{s}</code> {describe(s)}
              </li>
            ))}
          </ul>
          <button type="button" onClick={() => void extend()} disabled={extending}>
            Extend permissions
          </button>
        </div>
      )}
      {extending && (
        <p role="status" className="loading">
          <span className="spinner" aria-hidden="true" /> Waiting for you to grant the permissions in the other window…
        </p>
      )}
      {extendNote && (
        <p role={extendNote.ok ? 'status' : 'alert'} className={extendNote.ok ? 'ok' : 'error'}>
          {extendNote.text}
        </p>
      )}
      {module?.inputs.map((input) => {
        const value = step.inputs[input.name];
        const set = (v: unknown) => onChange({ ...step, inputs: { ...step.inputs, [input.name]: v } });
        if (input.type === 'boolean') {
          return (
            <label key={input.name} className="check">
              <input type="checkbox" checked={value === true} onChange={(e) => set(e.target.checked)} /> {input.label}
            </label>
          );
        }
        return (
          <label key={input.name}>
            {input.label}
            {input.required ? <span aria-hidden="true"> *</span> : null}
            {input.type === 'select' && input.options ? (
              <select value={String(value ?? '')} onChange={(e) => set(e.target.value)}>
                <option value="">Choose…</option>
                {input.options.map((o) => (
                  <option key={o.value} value={o.value}>
                    {o.label}
                  </option>
                ))}
              </select>
            ) : input.type === 'textarea' || input.type === 'json' ? (
              <textarea rows={3} value={String(value ?? '')} onChange={(e) => set(e.target.value)} />
            ) : (
              <input type={input.type === 'number' ? 'number' : 'text'} value={String(value ?? '')} onChange={(e) => set(input.type === 'number' && e.target.value !== '' ? Number(e.target.value) : e.target.value)} />
            )}
            {input.help && <small>{input.help}</small>}
          </label>
        );
      })}
      <button type="button" className="secondary" onClick={onRemove}>
        Remove module
      </button>
    </li>
  );
}
