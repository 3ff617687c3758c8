import type { InputDefinition } from './schema.ts';

type OptionValue = NonNullable<InputDefinition['options']>[number]['value'];

/** The option a value names, by its text as well: a saved scenario and the web app's select hold "1" for the option 1. */
export function optionFor(def: InputDefinition, value: unknown): { value: OptionValue } | undefined {
  if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') return undefined;
  return def.options?.find((o) => o.value === value || String(o.value) === String(value));
}

/**
 * Why a value is not of a module input's type, or null when it is. `declared`
 * values (an app file's default or example) must be exactly of the type; values
 * `given` by a scenario may name an option by its text and give a number as text,
 * as the runner converts them (scenarios/input-values.ts).
 */
export function inputValueProblem(def: InputDefinition, value: unknown, as: 'declared' | 'given'): string | null {
  switch (def.type) {
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? null : 'must be a number';
    case 'boolean':
      return typeof value === 'boolean' ? null : 'must be true or false';
    case 'select': {
      if (!def.options?.length) return typeof value === 'string' ? null : 'must be text';
      const named =
        as === 'declared' ? def.options.some((o) => o.value === value) : optionFor(def, value) !== undefined;
      return named ? null : `must be one of: ${def.options.map((o) => String(o.value)).join(', ')}`;
    }
    case 'list':
      return Array.isArray(value) ? null : 'must be a list';
    case 'map':
      return value !== null && typeof value === 'object' && !Array.isArray(value)
        ? null
        : 'must be an object of names to values';
    case 'json':
      return null;
    default:
      return typeof value === 'string' || (as === 'given' && typeof value === 'number') ? null : 'must be text';
  }
}
