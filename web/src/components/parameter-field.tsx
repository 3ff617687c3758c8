import type { AppParameter } from '../api/types.ts';

export type FieldValue = string | boolean;

/** Initial form value of a parameter: lists and maps are edited as lines of text. */
export function initialValue(parameter: AppParameter): FieldValue {
  const d = parameter.default;
  if (parameter.type === 'boolean') return d === true;
  if (Array.isArray(d)) return d.join('\n');
  if (d && typeof d === 'object')
    return Object.entries(d)
      .map(([k, v]) => `${k}: ${v}`)
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

export function ParameterField({
  parameter,
  value,
  onChange,
}: {
  parameter: AppParameter;
  value: FieldValue | undefined;
  onChange: (value: FieldValue) => void;
}) {
  const help = parameter.help ? <small>{parameter.help}</small> : null;
  if (parameter.type === 'boolean') {
    return (
      <label className="check">
        <input
          type="checkbox"
          name={parameter.name}
          checked={value === true}
          onChange={(e) => onChange(e.target.checked)}
        />
        {parameter.label}
        {help}
      </label>
    );
  }
  const text = typeof value === 'string' ? value : '';
  let control;
  if (parameter.type === 'select' && parameter.options) {
    control = (
      <select
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
  } else if (parameter.type === 'list' || parameter.type === 'map') {
    control = (
      <textarea
        name={parameter.name}
        value={text}
        required={parameter.required}
        rows={3}
        onChange={(e) => onChange(e.target.value)}
        placeholder={parameter.type === 'map' ? 'name: value, one a line' : 'one a line'}
      />
    );
  } else {
    const type =
      parameter.secret || parameter.type === 'password' ? 'password' : parameter.type === 'url' ? 'url' : 'text';
    control = (
      <input
        name={parameter.name}
        type={type}
        value={text}
        required={parameter.required}
        autoComplete={type === 'password' ? 'new-password' : 'off'}
        onChange={(e) => onChange(e.target.value)}
      />
    );
  }
  return (
    <label>
      {parameter.label}
      {parameter.required ? <span aria-hidden="true"> *</span> : null}
      {control}
      {help}
    </label>
  );
}
