import { useEffect, useRef, useState, type SubmitEvent } from 'react';
import { api, messageOf } from '../api/client.ts';
import type { AppDescription, ConnectionView } from '../api/types.ts';
import { Modal } from '../components/modal.tsx';
import { apiValue, initialValue, ParameterField, type FieldValue } from '../components/parameter-field.tsx';
import { FileField } from '../components/file-field.tsx';
import { ErrorText } from '../components/status.tsx';
import { authorizeInThisTab, openConsentWindow, waitForConsent, type ReturnContext } from './consent.ts';

const KIND_LABELS = {
  oauth2: 'OAuth 2.0',
  apiKey: 'API key',
  basic: 'Username and password',
  oauth1: 'OAuth 1.0a',
  session: 'Login session',
  jwt: 'Signed JWT (service account)',
} as const;

export interface AddConnectionProps {
  teamId: string;
  app: AppDescription;
  /** Scopes to ask for on top of the app's base scopes (when no scenario can say). */
  scopes?: string[];
  /** Created for this scenario: the server asks for exactly what its modules of the app need. */
  scenarioId?: string;
  /** Where a same-tab authorization comes back to. */
  returnTo: Omit<ReturnContext, 'connectionId' | 'appId' | 'purpose'>;
  /** A pending connection of an earlier try (after a same-tab authorization failed). */
  retry?: { connectionId: string; error: string };
  onClose: () => void;
  onConnected: (connection: ConnectionView, message: string) => void;
}

/** "Add": name, the app's parameters, advanced settings, Save → consent → back. */
export function AddConnectionDialog({
  teamId,
  app,
  scopes = [],
  scenarioId,
  returnTo,
  retry,
  onClose,
  onConnected,
}: AddConnectionProps) {
  const [kindIndex, setKindIndex] = useState(0);
  const kind = app.auth[kindIndex] ?? app.auth[0]!;
  const [name, setName] = useState(`My ${app.name} connection`);
  const [values, setValues] = useState<Record<string, FieldValue>>(() =>
    Object.fromEntries(kind.parameters.map((p) => [p.name, initialValue(p)])),
  );
  const [advanced, setAdvanced] = useState(false);
  const [error, setError] = useState<string | null>(retry?.error ?? null);
  const [waiting, setWaiting] = useState<'saving' | 'consent' | null>(null);
  const pendingId = useRef<string | null>(retry?.connectionId ?? null);
  const abort = useRef<AbortController | null>(null);
  useEffect(() => () => abort.current?.abort(), []);

  const basic = kind.parameters.filter((p) => !p.advanced);
  const extra = kind.parameters.filter((p) => p.advanced);
  const needsBrowser =
    (kind.type === 'oauth2' && kind.flow !== 'client_credentials') ||
    kind.type === 'oauth1' ||
    (kind.type === 'jwt' && kind.flow === 'installation');

  function chooseKind(index: number) {
    setKindIndex(index);
    const next = app.auth[index];
    if (next) setValues(Object.fromEntries(next.parameters.map((p) => [p.name, initialValue(p)])));
    pendingId.current = null;
  }

  function parameters(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const p of kind.parameters) {
      if (p.type === 'file') continue;
      const value = apiValue(p, values[p.name]);
      if (value !== undefined && !(p.type === 'boolean' && value === false && p.default === undefined))
        out[p.name] = value;
    }
    return out;
  }

  async function save(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    setError(null);
    // Opened now, inside the click: after an await the browser would block it.
    const popup = needsBrowser ? openConsentWindow() : null;
    setWaiting('saving');
    try {
      let connection: ConnectionView;
      let authorizeUrl: string | null;
      let before: ConnectionView | null = null;
      if (pendingId.current) {
        connection = await api('PATCH /connections/:id', { params: { id: pendingId.current }, body: { name } });
        before = connection.status === 'pending' ? null : connection;
        ({ authorizeUrl } = await api('POST /connections/:id/reauthorize', {
          params: { id: connection.id },
          body: {
            parameters: parameters(),
            ...(scopes.length ? { scopes } : {}),
            ...(scenarioId ? { scenarioId } : {}),
          },
        }));
      } else {
        ({ connection, authorizeUrl } = await api('POST /connections', {
          body: {
            teamId,
            app: app.id,
            auth: kind.type,
            name,
            parameters: parameters(),
            ...(scopes.length ? { scopes } : {}),
            ...(scenarioId ? { scenarioId } : {}),
          },
        }));
        pendingId.current = connection.id;
      }
      if (!authorizeUrl) {
        popup?.close();
        const done = await api('GET /connections/:id', { params: { id: connection.id } });
        onConnected(done, 'The connection is established.');
        return;
      }
      if (!popup) {
        authorizeInThisTab(authorizeUrl, {
          ...returnTo,
          connectionId: connection.id,
          appId: app.id,
          purpose: 'create',
        });
        return;
      }
      popup.location.href = authorizeUrl;
      setWaiting('consent');
      abort.current = new AbortController();
      const outcome = await waitForConsent(popup, connection.id, before, abort.current.signal);
      if (!outcome.ok) {
        setError(outcome.message);
        setWaiting(null);
        return;
      }
      onConnected(await api('GET /connections/:id', { params: { id: connection.id } }), outcome.message);
    } catch (e) {
      popup?.close();
      if ((e as Error).name === 'AbortError') return;
      setError(messageOf(e));
      setWaiting(null);
    }
  }

  return (
    <Modal title={`Create a connection to ${app.name}`} onClose={onClose}>
      <form onSubmit={save} className="stack">
        {app.auth.length > 1 && (
          <label>
            Connection type
            <select value={kindIndex} onChange={(e) => chooseKind(Number(e.target.value))}>
              {app.auth.map((k, i) => (
                <option key={i} value={i}>
                  {KIND_LABELS[k.type]}
                </option>
              ))}
            </select>
          </label>
        )}
        <label>
          Connection name
          <input name="name" value={name} required maxLength={1024} onChange={(e) => setName(e.target.value)} />
        </label>
        {basic.map((p) =>
          p.type === 'file' ? (
            <FileField
              key={`${kindIndex}-${p.name}`}
              parameter={p}
              onFill={(filled) => setValues((current) => ({ ...current, ...filled }))}
            />
          ) : (
            <ParameterField
              key={`${kindIndex}-${p.name}`}
              parameter={p}
              value={values[p.name]}
              onChange={(v) => setValues({ ...values, [p.name]: v })}
            />
          ),
        )}
        {(extra.length > 0 || kind.type === 'oauth2') && (
          <label className="check">
            <input type="checkbox" checked={advanced} onChange={(e) => setAdvanced(e.target.checked)} />
            Show advanced settings
          </label>
        )}
        {advanced && (
          <fieldset className="advanced">
            <legend>Advanced settings</legend>
            {extra.map((p) => (
              <ParameterField
                key={`${kindIndex}-${p.name}`}
                parameter={p}
                value={values[p.name]}
                onChange={(v) => setValues({ ...values, [p.name]: v })}
              />
            ))}
            {(kind.type === 'oauth2' || kind.type === 'oauth1') && kind.redirectUri && (
              <label>
                Redirect URI
                <input readOnly value={kind.redirectUri ?? ''} onFocus={(e) => e.target.select()} />
                <small>Register this address with your own OAuth client at {app.name}.</small>
              </label>
            )}
          </fieldset>
        )}
        <ErrorText>{error}</ErrorText>
        {waiting && (
          <p role="status" className="loading">
            <span className="spinner" aria-hidden="true" />{' '}
            {waiting === 'consent'
              ? `Waiting for you to authorize Hitch at ${app.name} in the other window…`
              : 'Saving…'}
          </p>
        )}
        <div className="actions">
          <button type="submit" disabled={waiting !== null}>
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
