import { useId, useState } from 'react';
import type { AppModuleInput } from '../api/types.ts';
import { Field, type FieldControlProps } from '../components/field.tsx';

/** A module input's value as text in its field: lists and maps one item a line, JSON written out. */
function toText(input: AppModuleInput, value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (input.type === 'list' && Array.isArray(value)) return value.map(String).join('\n');
  if (input.type === 'map' && typeof value === 'object')
    return Object.entries(value)
      .map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`)
      .join('\n');
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value, null, 2);
}

const MAPPING = /^\s*\{\{[^}]+\}\}\s*$/;

/** The API's value of the text; undefined leaves the input out. A mapping (`{{1.body.id}}`) stays text. */
function fromText(input: AppModuleInput, text: string): unknown {
  if (text.trim() === '') return undefined;
  if (MAPPING.test(text)) return text.trim();
  switch (input.type) {
    case 'number':
      return /^-?\d+(\.\d+)?$/.test(text.trim()) ? Number(text) : text;
    case 'list':
      return text
        .split('\n')
        .map((s) => s.trim())
        .filter(Boolean);
    case 'map': {
      const map: Record<string, string> = {};
      for (const line of text.split('\n')) {
        const at = line.indexOf(':');
        if (at > 0) map[line.slice(0, at).trim()] = line.slice(at + 1).trim();
      }
      return map;
    }
    case 'select':
      // The option's own value: Linear's priority options are numbers.
      return input.options?.find((o) => String(o.value) === text)?.value ?? text;
    case 'json':
      try {
        return JSON.parse(text) as unknown;
      } catch {
        // Raw text is a valid body too (bodyType raw); the server says when it is not.
        return text;
      }
    default:
      return text;
  }
}

const PLACEHOLDERS: Partial<Record<AppModuleInput['type'], string>> = {
  list: 'one item a line',
  map: 'name: value, one a line',
  json: '{"name": "value"} or {{1.body}}',
};

/** One declared input of a module. Keeps its own text while typing, so half-written JSON is not reformatted. */
export function InputField({
  input,
  value,
  onChange,
}: {
  input: AppModuleInput;
  value: unknown;
  onChange: (value: unknown) => void;
}) {
  const [text, setText] = useState(() => toText(input, value));
  const helpId = useId();
  if (input.type === 'boolean') {
    return (
      <div className="field">
        <label className="check">
          <input
            type="checkbox"
            checked={value === true}
            onChange={(e) => onChange(e.target.checked)}
            {...(input.help ? { 'aria-describedby': helpId } : {})}
          />{' '}
          {input.label}
        </label>
        {input.help ? <small id={helpId}>{input.help}</small> : null}
      </div>
    );
  }
  const change = (next: string) => {
    setText(next);
    onChange(fromText(input, next));
  };
  const control = (props: FieldControlProps) => {
    if (input.type === 'select' && input.options) {
      const fallback =
        input.default === undefined ? undefined : input.options.find((o) => o.value === input.default)?.label;
      return (
        <select {...props} value={text} onChange={(e) => change(e.target.value)}>
          <option value="">{input.required ? 'Choose…' : fallback ? `Default (${fallback})` : 'Default'}</option>
          {input.options.map((o) => (
            <option key={String(o.value)} value={String(o.value)}>
              {o.label}
            </option>
          ))}
        </select>
      );
    } else if (input.type === 'textarea' || input.type === 'json' || input.type === 'list' || input.type === 'map') {
      return (
        <textarea
          {...props}
          rows={3}
          value={text}
          placeholder={PLACEHOLDERS[input.type]}
          onChange={(e) => change(e.target.value)}
        />
      );
    } else {
      const shown = input.default;
      const placeholder =
        typeof shown === 'string' || typeof shown === 'number' || typeof shown === 'boolean'
          ? String(shown)
          : undefined;
      return (
        <input
          {...props}
          type="text"
          inputMode={input.type === 'number' ? 'decimal' : undefined}
          value={text}
          placeholder={placeholder}
          onChange={(e) => change(e.target.value)}
        />
      );
    }
  };
  return (
    <Field label={input.label} required={input.required} help={input.help}>
      {control}
    </Field>
  );
}
