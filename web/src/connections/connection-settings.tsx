import { useState, type SubmitEvent } from 'react';
import { api, ApiError, messageOf } from '../api/client.ts';
import type { AppConnectionKind, AppParameter, ConnectionView } from '../api/types.ts';
import { apiValue, initialValue, ParameterField, type FieldValue } from '../components/parameter-field.tsx';
import { ErrorText } from '../components/status.tsx';

/** A parameter's form value from what the connection holds now (its `data`), else the catalog's default. */
function currentValue(p: AppParameter, data: Record<string, unknown>): FieldValue {
  const held = data[p.name];
  return initialValue(held === undefined ? p : { ...p, default: held });
}

/**
 * The connection's editable settings (a base URL, say). Secrets are write-only:
 * each shows as "set — replace". Changing a destination asks for every secret
 * again (Security II): the server refuses it otherwise, and so does this form.
 */
export function ConnectionSettings({
  connection: c,
  kind,
  onChanged,
}: {
  connection: ConnectionView;
  kind: AppConnectionKind;
  onChanged: (connection: ConnectionView) => void;
}) {
  const editable = kind.parameters.filter((p) => p.editable && !p.secret && p.type !== 'file');
  const secrets = kind.parameters.filter((p) => p.secret);
  const initial = () => Object.fromEntries(editable.map((p) => [p.name, currentValue(p, c.data)]));
  const [values, setValues] = useState<Record<string, FieldValue>>(initial);
  const [secretValues, setSecretValues] = useState<Record<string, FieldValue>>({});
  const [fieldError, setFieldError] = useState<{ field: string; message: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  if (editable.length === 0) return null;

  const changed = editable.filter(
    (p) => JSON.stringify(apiValue(p, values[p.name]) ?? null) !== JSON.stringify(c.data[p.name] ?? null),
  );
  const newDestination = changed.some((p) => p.destination);
  const errorOn = (name: string) => (fieldError?.field === `parameters.${name}` ? fieldError.message : null);

  async function save(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setFieldError(null);
    setSaved(null);
    const parameters: Record<string, unknown> = {};
    for (const p of changed) parameters[p.name] = apiValue(p, values[p.name]) ?? null;
    for (const p of secrets) {
      const value = apiValue(p, secretValues[p.name]);
      if (value !== undefined) parameters[p.name] = value;
    }
    try {
      onChanged(await api('PATCH /connections/:id', { params: { id: c.id }, body: { parameters } }));
      setSecretValues({});
      setSaved('The settings were saved.');
    } catch (e) {
      if (e instanceof ApiError && e.field?.startsWith('parameters.'))
        setFieldError({ field: e.field, message: e.message });
      else setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="settings-title" className="panel">
      <h2 id="settings-title">Settings</h2>
      <form className="stack" onSubmit={(e) => void save(e)}>
        {editable.map((p) => (
          <ParameterField
            key={p.name}
            parameter={p}
            value={values[p.name]}
            error={errorOn(p.name)}
            onChange={(v) => setValues({ ...values, [p.name]: v })}
          />
        ))}
        {newDestination && (
          <p className="warning" role="status">
            This sends the connection’s credentials somewhere new: enter its secrets again.
          </p>
        )}
        {secrets.map((p) => (
          <ParameterField
            // A new destination opens every secret for entry; otherwise each stays "set".
            key={`${p.name}|${String(newDestination)}`}
            parameter={{ ...p, required: p.required && newDestination }}
            value={secretValues[p.name]}
            error={errorOn(p.name)}
            secretSet={!newDestination}
            onChange={(v) => setSecretValues({ ...secretValues, [p.name]: v })}
          />
        ))}
        <ErrorText>{error}</ErrorText>
        {saved && (
          <p role="status" className="ok">
            {saved}
          </p>
        )}
        <div className="actions">
          <button type="submit" disabled={busy || (changed.length === 0 && Object.keys(secretValues).length === 0)}>
            Save settings
          </button>
          {changed.length > 0 && (
            <button
              type="button"
              className="secondary"
              onClick={() => {
                setValues(initial());
                setSecretValues({});
              }}
            >
              Undo changes
            </button>
          )}
        </div>
      </form>
    </section>
  );
}
