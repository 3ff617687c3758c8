import type { InputDefinition } from '../catalog/schema.ts';
import { optionFor } from '../catalog/input-value.ts';
import { invalidField } from '../errors.ts';

function refuse(def: InputDefinition, should: string, value: unknown): never {
  const shown = typeof value === 'string' ? `"${value.length > 40 ? `${value.slice(0, 40)}…` : value}"` : typeof value;
  throw invalidField(
    `inputs.${def.name}`,
    `${def.label} ${should}, and it received ${shown}: correct the input or the mapping that fills it.`,
  );
}

/**
 * One value as its input's type says. Mappings yield text (`{{1.body.count}}`
 * inside a longer string) and scenarios saved before inputs were typed hold text,
 * so text that reads as the type is converted; anything else is refused before a
 * request is made.
 */
function coerce(def: InputDefinition, value: unknown): unknown {
  switch (def.type) {
    case 'number': {
      if (typeof value === 'number' && Number.isFinite(value)) return value;
      const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
      return Number.isFinite(number) ? number : refuse(def, 'must be a number', value);
    }
    case 'boolean': {
      if (typeof value === 'boolean') return value;
      const word = typeof value === 'string' ? value.trim().toLowerCase() : '';
      return word === 'true' ? true : word === 'false' ? false : refuse(def, 'must be true or false', value);
    }
    case 'select': {
      if (!def.options?.length) return value;
      const option = optionFor(def, value);
      return option
        ? option.value
        : refuse(def, `must be one of: ${def.options.map((o) => String(o.value)).join(', ')}`, value);
    }
    case 'text':
    case 'textarea':
      return typeof value === 'number' || typeof value === 'boolean' ? String(value) : value;
    default:
      return value;
  }
}

/**
 * A module's inputs as its request is rendered from: defaults first, then the
 * given values; absent and empty values left out (an empty text is kept where
 * the input allows it), every value of its declared type. Names the module does
 * not declare pass through untouched (built-in modules read a few of their own).
 */
export function typedInputs(defs: readonly InputDefinition[], given: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const byName = new Map(defs.map((d) => [d.name, d]));
  for (const def of defs) if (def.default !== undefined) out[def.name] = def.default;
  for (const [name, value] of Object.entries(given)) {
    if (value === undefined || value === null) continue;
    const def = byName.get(name);
    if (value === '' && !def?.allowEmpty) continue;
    out[name] = value;
  }
  for (const def of defs) {
    const value = out[def.name];
    if (value === undefined || (value === '' && def.allowEmpty)) continue;
    out[def.name] = coerce(def, value);
  }
  return out;
}
