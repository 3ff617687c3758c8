import { useId, useState } from 'react';
import type { AppParameter } from '../api/types.ts';
import { Field } from './field.tsx';

export type FieldValue = string | boolean;

/** Initial form value of a parameter: lists and maps are edited as lines of text. */
export function initialValue(parameter: AppParameter): FieldValue {
  const d = parameter.default;
  if (parameter.type === 'boolean') return d === true;
  if (Array.isArray(d)) return d.join('\n');
  if (d && typeof d === 'object')
    return Object.entries(d)
      .map(([k, v]) => `${k}: ${String(v)}`)
      .join('\n');
  return typeof d === 'string' ? d : '';
}

/** The API's value of a form field; undefined leaves the parameter out. */
export function apiValue(parameter: AppParameter, value: FieldValue | undefined): unknown {
  if (parameter.type === 'boolean') return value === true;
  const text = typeof value === 'string' ? value : '';
  if (text.trim() === '') return undefined;
  if (parameter.type === 'list')
    return text
      .split(/[\n,]/)
      .map((s) => s.trim())
      .filter(Boolean);
  if (parameter.type === 'map') {
    const map: Record<string, string> = {};
    for (const line of text.split('\n')) {
      const at = line.indexOf(':');
      if (at > 0) map[line.slice(0, at).trim()] = line.slice(at + 1).trim();
    }
    return map;
  }
  return parameter.secret ? text : text.trim();
}

/**
 * One parameter of a connection kind. A secret that is already stored shows as
 * "set" with Replace: its value never comes back from the API, and leaving it
 * alone keeps it.
 */
export function ParameterField({
  parameter,
  value,
  onChange,
  error,
  secretSet,
}: {
  parameter: AppParameter;
  value: FieldValue | undefined;
  onChange: (value: FieldValue) => void;
  /** The server's sentence about this parameter (`error.field` = `parameters.<name>`). */
  error?: string | null;
  /** An existing connection's secret: stored, never shown. */
  secretSet?: boolean;
}) {
  const [replacing, setReplacing] = useState(false);
  const helpId = useId();
  if (parameter.type === 'boolean') {
    // Described by its help and the server's error, as Field does for the other controls.
    const described = [parameter.help ? helpId : null, error ? `${helpId}-error` : null].filter(Boolean).join(' ');
    return (
      <div className="field">
        <label className="check">
          <input
            type="checkbox"
            name={parameter.name}
            checked={value === true}
            onChange={(e) => onChange(e.target.checked)}
            {...(described ? { 'aria-describedby': described } : {})}
            {...(error ? { 'aria-invalid': true as const } : {})}
          />
          {parameter.label}
        </label>
        {parameter.help ? <small id={helpId}>{parameter.help}</small> : null}
        {error ? (
          <small id={`${helpId}-error`} className="field-error" role="alert">
            {error}
          </small>
        ) : null}
      </div>
    );
  }
  const text = typeof value === 'string' ? value : '';
  const kept = secretSet && !replacing;
  return (
    <Field
      label={parameter.label}
      required={parameter.required && !secretSet}
      help={kept ? 'Stored and never shown.' : parameter.help}
      error={error}
    >
      {(control) => {
        if (kept)
          return (
            <span className="secret-set">
              <input {...control} readOnly value="set" />
              <span aria-hidden="true">—</span>
              <button type="button" className="secondary" onClick={() => setReplacing(true)}>
                replace<span className="visually-hidden"> {parameter.label}</span>
              </button>
            </span>
          );
        if (parameter.type === 'select' && parameter.options)
          return (
            <select
              {...control}
              name={parameter.name}
              value={text}
              required={parameter.required}
              onChange={(e) => onChange(e.target.value)}
            >
              {!parameter.required && <option value="">Default</option>}
              {parameter.required && text === '' && <option value="">Choose…</option>}
              {parameter.options.map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ))}
            </select>
          );
        if (parameter.type === 'list' || parameter.type === 'map')
          return (
            <textarea
              {...control}
              name={parameter.name}
              value={text}
              required={parameter.required}
              rows={3}
              onChange={(e) => onChange(e.target.value)}
              placeholder={parameter.type === 'map' ? 'name: value, one a line' : 'one a line'}
            />
          );
        const type =
          parameter.secret || parameter.type === 'password' ? 'password' : parameter.type === 'url' ? 'url' : 'text';
        return (
          <input
            {...control}
            name={parameter.name}
            type={type}
            value={text}
            required={parameter.required}
            autoComplete={type === 'password' ? 'new-password' : 'off'}
            onChange={(e) => onChange(e.target.value)}
          />
        );
      }}
    </Field>
  );
}
