import { invalidField } from '../errors.ts';
import type { ParameterDefinition } from './schema.ts';

export type ParameterValue = string | boolean | Record<string, string> | string[];

/** A person's parameters split by where they live: `values` in the connection's data, `secrets` in the vault. */
export interface SplitParameters {
  values: Record<string, ParameterValue>;
  secrets: Record<string, string>;
}

const MAX_VALUE_LENGTH = 4096;

function checkValue(def: ParameterDefinition, raw: unknown): ParameterValue {
  const field = `parameters.${def.name}`;
  switch (def.type) {
    case 'boolean':
      if (typeof raw === 'boolean') return raw;
      if (raw === 'true' || raw === 'false') return raw === 'true';
      throw invalidField(field, `${def.label} must be true or false.`);
    case 'map': {
      if (!raw || typeof raw !== 'object' || Array.isArray(raw))
        throw invalidField(field, `${def.label} must be an object of names to text values.`);
      const out: Record<string, string> = Object.create(null) as Record<string, string>;
      for (const [k, v] of Object.entries(raw)) {
        if (typeof v !== 'string' || k.length > 256 || v.length > MAX_VALUE_LENGTH)
          throw invalidField(field, `${def.label} must map names to text values.`);
        out[k] = v;
      }
      return { ...out };
    }
    case 'file':
      // The web app reads the file and sends the fields it fills; the file itself (and its token_uri) never reaches Hitch.
      throw invalidField(field, `${def.label} is read in the browser: send the fields it fills instead.`);
    case 'list':
      if (!Array.isArray(raw) || raw.some((v) => typeof v !== 'string'))
        throw invalidField(field, `${def.label} must be a list of text values.`);
      return raw as string[];
    default: {
      if (typeof raw !== 'string') throw invalidField(field, `${def.label} must be text.`);
      const value = def.secret ? raw : raw.trim();
      if (value.length > MAX_VALUE_LENGTH)
        throw invalidField(field, `${def.label} is too long (at most ${MAX_VALUE_LENGTH} characters).`);
      if (def.type === 'url' && value !== '') {
        let url: URL;
        try {
          url = new URL(value);
        } catch {
          throw invalidField(field, `${def.label} must be a full URL such as https://example.com/path.`);
        }
        if (url.protocol !== 'https:' && url.protocol !== 'http:')
          throw invalidField(field, `${def.label} must start with https:// or http://.`);
      }
      if (def.type === 'select' && def.options && !def.options.some((o) => o.value === value)) {
        throw invalidField(
          field,
          `${def.label} must be one of: ${def.options.map((o) => JSON.stringify(o.value)).join(', ')}.`,
        );
      }
      if (def.pattern && value !== '' && !new RegExp(`^(?:${def.pattern})$`).test(value)) {
        throw invalidField(field, `${def.label} does not have the expected form.`);
      }
      return value;
    }
  }
}

/**
 * Validates a person's parameters against a kind's declarations. `existing`
 * (for updates and reauthorization) supplies values and secrets that were not
 * sent again: an omitted secret keeps its value.
 */
export function validateParameters(
  defs: ParameterDefinition[],
  input: unknown,
  options: { existing?: SplitParameters; only?: (def: ParameterDefinition) => boolean } = {},
): SplitParameters {
  if (input !== undefined && (input === null || typeof input !== 'object' || Array.isArray(input)))
    throw invalidField('parameters', 'parameters must be an object.');
  const given = (input ?? {}) as Record<string, unknown>;
  const byName = new Map(defs.map((d) => [d.name, d]));
  for (const name of Object.keys(given)) {
    const def = byName.get(name);
    if (!def) throw invalidField(`parameters.${name}`, `"${name}" is not a parameter of this connection.`);
    if (options.only && !options.only(def))
      throw invalidField(`parameters.${name}`, `${def.label} cannot be changed here.`);
  }

  const values = new Map<string, ParameterValue>(Object.entries(options.existing?.values ?? {}));
  const secrets: Record<string, string> = { ...(options.existing?.secrets ?? {}) };
  for (const def of defs) {
    const raw = Object.hasOwn(given, def.name) ? given[def.name] : undefined;
    if (raw === undefined || raw === null || raw === '') {
      if (raw === '' && !def.secret) values.delete(def.name);
      continue;
    }
    const value = checkValue(def, raw);
    if (def.secret) secrets[def.name] = value as string;
    else values.set(def.name, value);
  }
  for (const def of defs) {
    if (!def.required) continue;
    const present = def.secret
      ? secrets[def.name] !== undefined
      : values.get(def.name) !== undefined || def.default !== undefined;
    if (!present) throw invalidField(`parameters.${def.name}`, `${def.label} is required.`);
  }
  return { values: Object.fromEntries(values), secrets };
}

/** Declared defaults under the given values. */
export function withDefaults(
  defs: ParameterDefinition[],
  values: Record<string, ParameterValue>,
): Record<string, ParameterValue> {
  const out: Record<string, ParameterValue> = {};
  for (const def of defs) if (def.default !== undefined) out[def.name] = def.default;
  return { ...out, ...values };
}
