import { useState } from 'react';
import { appsOf } from '../api/modules.ts';
import type { ModuleListing } from '../api/types.ts';

/** Add module: pick an app, then one of its modules. */
export function AddModuleForm({
  modules,
  onAdd,
  onCancel,
}: {
  modules: ModuleListing[];
  onAdd: (listing: ModuleListing) => void;
  onCancel: () => void;
}) {
  const [app, setApp] = useState('');
  const [module, setModule] = useState('');
  const ofApp = modules.filter((m) => m.app === app);
  const chosen = ofApp.find((m) => m.id === module);
  return (
    <form
      className="inline-form"
      aria-label="Add module"
      onSubmit={(e) => {
        e.preventDefault();
        if (chosen) onAdd(chosen);
      }}
    >
      <label>
        App
        <select
          value={app}
          autoFocus
          onChange={(e) => {
            setApp(e.target.value);
            setModule('');
          }}
        >
          <option value="">Choose an app</option>
          {appsOf(modules).map((a) => (
            <option key={a.id} value={a.id}>
              {a.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        Module
        <select value={module} onChange={(e) => setModule(e.target.value)} disabled={!app}>
          <option value="">Choose a module</option>
          {ofApp.map((m) => (
            <option key={m.id} value={m.id}>
              {m.name}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" disabled={!chosen}>
        Add to scenario
      </button>
      <button type="button" className="secondary" onClick={onCancel}>
        Cancel
      </button>
    </form>
  );
}
