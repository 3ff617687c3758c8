import { useState, type SubmitEvent } from 'react';
import { api, ApiError, messageOf } from '../api/client.ts';
import type { AppConnectionKind, AppParameter, ConnectionView } from '../api/types.ts';
import { apiValue, initialValue, ParameterField, type FieldValue } from '../components/parameter-field.tsx';
import { ErrorText } from '../components/status.tsx';
import { reauthorizeConnection } from './reauthorize.ts';

/** A parameter's form value from what the connection holds now (its `data`), else the catalog's default. */
function currentValue(p: AppParameter, data: Record<string, unknown>): FieldValue {
  const held = data[p.name];
  return initialValue(held === undefined ? p : { ...p, default: held });
}

/**
 * The connection's editable settings (a base URL, say) and its secrets. Secrets
 * are write-only: each shows as "set — replace". Changing a destination asks for
 * every secret again (Security II): the server refuses it otherwise, and so does
 * this form. A replaced secret or a new destination goes through Reauthorize with
 * the new values, so the service accepts them (at once, or at its consent page
 * for OAuth) before they replace the old; other edits are saved as they are.
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
  // The secrets it holds, as the API names them (every secret of the kind when it cannot say): a new
  // destination needs each again, and one it never had (the platform's client, say) is not shown as set.
  const secrets = kind.parameters.filter((p) => p.secret && (c.secretsSet?.includes(p.name) ?? true));
  const secretsKnown = c.secretsSet !== undefined;
  const initial = () => Object.fromEntries(editable.map((p) => [p.name, currentValue(p, c.data)]));
  const [values, setValues] = useState<Record<string, FieldValue>>(initial);
  const [secretValues, setSecretValues] = useState<Record<string, FieldValue>>({});
  const [fieldError, setFieldError] = useState<{ field: string; message: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // Saved: each secret shows as "set" again.
  const [saves, setSaves] = useState(0);
  if (editable.length === 0 && secrets.length === 0) return null;

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
    const entered = secrets.filter((p) => apiValue(p, secretValues[p.name]) !== undefined);
    for (const p of entered) parameters[p.name] = apiValue(p, secretValues[p.name]);
    try {
      if (entered.length > 0 || newDestination) {
        // First in the handler: an OAuth kind's consent window opens inside the click, or the browser blocks it.
        const outcome = await reauthorizeConnection(c, { parameters });
        if (!outcome.ok) throw new Error(outcome.message);
        onChanged(await api('GET /connections/:id', { params: { id: c.id } }));
      } else {
        onChanged(await api('PATCH /connections/:id', { params: { id: c.id }, body: { parameters } }));
      }
      setSaved('The settings were saved.');
      setSecretValues({});
      setSaves((n) => n + 1);
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
            key={`${p.name}|${String(newDestination)}|${saves}`}
            parameter={{ ...p, required: newDestination && (secretsKnown || p.required) }}
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
