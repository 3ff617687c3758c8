import { jsonText } from '../json-text.ts';

/**
 * Mapping between modules: an input may say `{{1.body.id}}` or
 * `{{2.body.items[0].name}}` (module 1's or 2's output), or `{{inputs.name}}`
 * (what the run was started with). A mapping that is the whole string yields
 * the value itself (a number, an object); inside longer text it is written out.
 * Other `{{…}}` text is left alone: it is not ours to interpret.
 */
const MAPPING = /\{\{\s*((?:\d+|inputs)(?:\.[A-Za-z_$][\w$-]*|\[\d+\])*)\s*\}\}/g;
const WHOLE = /^\{\{\s*((?:\d+|inputs)(?:\.[A-Za-z_$][\w$-]*|\[\d+\])*)\s*\}\}$/;

export interface MappingContext {
  /** Each earlier module's output by module id. */
  outputs: Map<number, unknown>;
  inputs: Record<string, unknown>;
}

function segments(ref: string): string[] {
  return [...ref.matchAll(/[^.[\]]+/g)].map((m) => m[0]);
}

function lookup(ref: string, context: MappingContext): unknown {
  const [head, ...path] = segments(ref);
  let value: unknown = head === 'inputs' ? context.inputs : context.outputs.get(Number(head));
  for (const segment of path) {
    if (value === null || typeof value !== 'object') return undefined;
    if (!Object.hasOwn(value, segment)) return undefined;
    value = (value as Record<string, unknown>)[segment];
  }
  return value;
}

/** Fills every mapping in a value (strings, and strings inside arrays and objects). */
export function resolveMappings(value: unknown, context: MappingContext): unknown {
  if (typeof value === 'string') {
    const whole = WHOLE.exec(value);
    if (whole) return lookup(whole[1]!, context);
    return value.replace(MAPPING, (_, ref: string) => jsonText(lookup(ref, context)));
  }
  if (Array.isArray(value)) return value.map((v) => resolveMappings(v, context));
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveMappings(v, context)]));
  return value;
}

/** The module ids a value maps from, to check that they come earlier in the scenario. */
export function referencedModules(value: unknown): number[] {
  if (typeof value === 'string')
    return [...value.matchAll(MAPPING)]
      .map((m) => segments(m[1]!)[0]!)
      .filter((h) => h !== 'inputs')
      .map(Number);
  if (Array.isArray(value)) return value.flatMap(referencedModules);
  if (value && typeof value === 'object') return Object.values(value).flatMap(referencedModules);
  return [];
}

/** True when the value is decided only at run time (it holds a mapping). */
export function isMapped(value: unknown): boolean {
  return typeof value === 'string' && new RegExp(MAPPING.source).test(value);
}
