import { useEffect, useRef, useState, type SubmitEvent } from 'react';
import { api, ApiError, messageOf } from '../api/client.ts';
import type { AppConnectionKind, AppDescription, ConnectionView } from '../api/types.ts';
import { CopyButton } from '../components/copy-button.tsx';
import { Field } from '../components/field.tsx';
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

/**
 * A kind whose scope separator is the person's to choose (the generic HTTP app's OAuth 2.0) has no
 * catalog of scopes either: the person types the scopes, as in Make's Scope field.
 */
function asksForScopes(kind: AppConnectionKind): boolean {
  return kind.type === 'oauth2' && kind.parameters.some((p) => p.name === SEPARATOR_PARAMETER);
}
const SEPARATOR_PARAMETER = 'scopeSeparator';
/** The generic HTTP app's choice of OAuth 2.0 grant (its `flow` template). */
const FLOW_PARAMETER = 'flow';

/** The typed Scope field → the API's `scopes`, split by the chosen separator (a space: any run of blanks). */
export function scopesOf(text: string, separator: string): string[] {
  const parts = separator === ' ' || separator === '' ? text.split(/\s+/) : text.split(separator);
  return [...new Set(parts.map((s) => s.trim()).filter(Boolean))];
}

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
  const [scopeText, setScopeText] = useState('');
  const [error, setError] = useState<string | null>(retry?.error ?? null);
  // The server's sentence about one field (`error.field`), shown on that field.
  const [fieldError, setFieldError] = useState<{ field: string; message: string } | null>(null);
  const errorOn = (field: string) => (fieldError?.field === field ? fieldError.message : null);
  const [waiting, setWaiting] = useState<'saving' | 'consent' | null>(null);
  const pendingId = useRef<string | null>(retry?.connectionId ?? null);
  const abort = useRef<AbortController | null>(null);
  useEffect(() => () => abort.current?.abort(), []);

  const typedScopes = asksForScopes(kind);
  const separator = values[SEPARATOR_PARAMETER];
  const requested = typedScopes
    ? [...new Set([...scopes, ...scopesOf(scopeText, typeof separator === 'string' ? separator : ' ')])]
    : scopes;
  const basic = kind.parameters.filter((p) => !p.advanced);
  const extra = kind.parameters.filter((p) => p.advanced);
  // The generic app's OAuth 2.0 lets the person choose the grant: client credentials need no consent window.
  const flow =
    typeof values[FLOW_PARAMETER] === 'string' && values[FLOW_PARAMETER] ? values[FLOW_PARAMETER] : kind.flow;
  const needsBrowser =
    (kind.type === 'oauth2' && flow !== 'client_credentials') ||
    kind.type === 'oauth1' ||
    (kind.type === 'jwt' && kind.flow === 'installation');

  function chooseKind(index: number) {
    setKindIndex(index);
    const next = app.auth[index];
    if (next) setValues(Object.fromEntries(next.parameters.map((p) => [p.name, initialValue(p)])));
    pendingId.current = null;
    setFieldError(null);
  }

  /** An error about one field goes on that field (opening the advanced settings when it is there). */
  function showError(e: unknown) {
    const field = e instanceof ApiError ? e.field : undefined;
    const parameter = field?.startsWith('parameters.')
      ? kind.parameters.find((p) => `parameters.${p.name}` === field)
      : undefined;
    if (field && (parameter || field === 'name' || (field === 'scopes' && typedScopes))) {
      if (parameter?.advanced) setAdvanced(true);
      setFieldError({ field, message: messageOf(e) });
      setError(null);
    } else setError(messageOf(e));
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
    setFieldError(null);
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
            ...(requested.length ? { scopes: requested } : {}),
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
            ...(requested.length ? { scopes: requested } : {}),
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
      showError(e);
      setWaiting(null);
    }
  }

  const redirectUri = (kind.type === 'oauth2' || kind.type === 'oauth1') && kind.redirectUri;
  // Without Hitch's own client at the service, the person registers theirs: the address belongs up front.
  const mustRegister =
    Boolean(redirectUri) && (kind.type === 'oauth2' || kind.type === 'oauth1') && kind.platformClient === false;
  const redirectField = redirectUri ? (
    <Field label="Redirect URI" help={`Register this address with your own OAuth client at ${app.name}.`}>
      {(control) => (
        <span className="with-button">
          <input {...control} readOnly value={redirectUri} onFocus={(e) => e.target.select()} />
          <CopyButton text={redirectUri} />
        </span>
      )}
    </Field>
  ) : null;

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
        <Field label="Connection name" required error={errorOn('name')}>
          {(control) => (
            <input
              {...control}
              name="name"
              value={name}
              required
              maxLength={1024}
              onChange={(e) => setName(e.target.value)}
            />
          )}
        </Field>
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
              error={errorOn(`parameters.${p.name}`)}
              onChange={(v) => setValues({ ...values, [p.name]: v })}
            />
          ),
        )}
        {typedScopes && (
          <Field
            label="Scope"
            error={errorOn('scopes')}
            help="The permissions to ask for, as the service’s documentation names them, separated by the scope separator (in advanced settings: a space unless you choose a comma)."
          >
            {(control) => (
              <input
                {...control}
                name="scope"
                value={scopeText}
                autoComplete="off"
                onChange={(e) => setScopeText(e.target.value)}
              />
            )}
          </Field>
        )}
        {mustRegister && redirectField}
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
                error={errorOn(`parameters.${p.name}`)}
                onChange={(v) => setValues({ ...values, [p.name]: v })}
              />
            ))}
            {!mustRegister && redirectField}
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
