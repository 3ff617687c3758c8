import { useState, type SubmitEvent } from 'react';
import { api, messageOf } from '../api/client.ts';
import type { CreateKeyRequest, KeyType, KeyView, UpdateKeyRequest } from '../api/types.ts';
import { Modal } from '../components/modal.tsx';
import { ErrorText } from '../components/status.tsx';
import { formText } from '../form.ts';
import { KEY_FIELDS, KEY_TYPE_LABELS } from './key-fields.ts';

/** Key types that go on requests, and so name where they may go. */
const SENT_TYPES: ReadonlySet<KeyType> = new Set(['apiKey', 'basic', 'certificate']);

/** A non-secret value the key holds now (the API lists only those). */
function storedValue(existing: KeyView | undefined, name: string): string | undefined {
  return existing ? new Map(Object.entries(existing.parameters)).get(name) : undefined;
}

/** Add key, or edit one: secrets are write-only, so an empty secret field keeps the stored value. */
export function KeyDialog({
  teamId,
  existing,
  fixedType,
  onClose,
  onSaved,
}: {
  teamId: string;
  existing?: KeyView;
  fixedType?: KeyType;
  onClose: () => void;
  onSaved: (key: KeyView) => void;
}) {
  const [type, setType] = useState<KeyType>(existing?.type ?? fixedType ?? 'apiKey');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function save(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const parameters: Record<string, string> = {};
    for (const field of KEY_FIELDS[type]) {
      const value = formText(form, field.name);
      // An empty secret keeps the stored one; an emptied visible value is removed.
      if (value !== '' || (existing && !field.secret && storedValue(existing, field.name) !== undefined))
        parameters[field.name] = value;
    }
    const name = formText(form, 'name').trim();
    const origins = SENT_TYPES.has(type) ? formText(form, 'origins').split(/\s+/).filter(Boolean) : undefined;
    const unchanged = existing && origins && origins.join(' ') === existing.origins.join(' ');
    setBusy(true);
    setError(null);
    try {
      onSaved(
        existing
          ? await api('PATCH /keys/:id', {
              params: { id: existing.id },
              body: { name, parameters, ...(origins && !unchanged ? { origins } : {}) } satisfies UpdateKeyRequest,
            })
          : await api('POST /keys', {
              body: { teamId, name, type, parameters, ...(origins ? { origins } : {}) } satisfies CreateKeyRequest,
            }),
      );
    } catch (e) {
      setError(messageOf(e));
      setBusy(false);
    }
  }

  return (
    <Modal
      title={existing ? `Edit ${existing.name}` : fixedType ? `Add ${KEY_TYPE_LABELS[fixedType]}` : 'Add key'}
      onClose={onClose}
    >
      <form className="stack" onSubmit={save}>
        {!existing && !fixedType && (
          <label>
            Key type
            <select value={type} onChange={(e) => setType(e.target.value as KeyType)}>
              {(Object.keys(KEY_TYPE_LABELS) as KeyType[]).map((t) => (
                <option key={t} value={t}>
                  {KEY_TYPE_LABELS[t]}
                </option>
              ))}
            </select>
          </label>
        )}
        <label>
          Key name
          <input name="name" required defaultValue={existing?.name ?? `My ${KEY_TYPE_LABELS[type]}`} key={type} />
        </label>
        {KEY_FIELDS[type].map((field) => {
          const current = field.secret ? '' : (storedValue(existing, field.name) ?? '');
          const required = field.required && !(existing && field.secret);
          const id = `key-${field.name}`;
          const keeps = existing && field.secret;
          const described = keeps ? { 'aria-describedby': `${id}-help` } : {};
          return (
            <div className="field" key={`${type}-${field.name}`}>
              <label htmlFor={id}>{field.label}</label>
              {field.options ? (
                <select id={id} name={field.name} defaultValue={current || field.options[0]!.value}>
                  {field.options.map((o) => (
                    <option key={o.value} value={o.value}>
                      {o.label}
                    </option>
                  ))}
                </select>
              ) : field.multiline ? (
                <textarea
                  id={id}
                  name={field.name}
                  rows={4}
                  required={required}
                  defaultValue={current}
                  {...described}
                />
              ) : (
                <input
                  id={id}
                  name={field.name}
                  type={field.secret ? 'password' : 'text'}
                  autoComplete={field.secret ? 'new-password' : 'off'}
                  required={required}
                  defaultValue={current}
                  {...described}
                />
              )}
              {keeps && (
                <small id={`${id}-help`}>
                  Stored and never shown: leave empty to keep it, or type a new value to replace it.
                </small>
              )}
            </div>
          );
        })}
        {SENT_TYPES.has(type) && (
          <div className="field">
            <label htmlFor="key-origins">Sent only to</label>
            <textarea
              id="key-origins"
              name="origins"
              rows={2}
              required
              defaultValue={existing?.origins.join('\n') ?? ''}
              aria-describedby="key-origins-help"
            />
            <small id="key-origins-help">
              The origins this key may go to, one per line, such as https://api.example.com. Adding one needs the secret
              entered again.
            </small>
          </div>
        )}
        <ErrorText>{error}</ErrorText>
        <div className="actions">
          <button type="submit" disabled={busy}>
            Save
          </button>
          <button type="button" className="secondary" onClick={onClose}>
            Cancel
          </button>
        </div>
      </form>
    </Modal>
  );
}
