/**
 * Every module of every built-in app, rendered from its inputs' examples (or
 * defaults) the way the runner renders it, and checked against its own request
 * template: every placeholder filled, each value of its input's type where the
 * template puts the whole value (a number stays a JSON number, a boolean a
 * boolean, a select its option's value), and every required input present.
 * Rendered a second time with only the required inputs, so leaving the optional
 * ones out never leaves a `{{…}}` behind.
 */
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/catalog/catalog.ts';
import type { InputDefinition, ModuleDefinition, RequestDefinition } from '../../src/catalog/schema.ts';
import { typedInputs } from '../../src/scenarios/input-values.ts';
import { renderRequest, type RenderedRequest } from '../../src/scenarios/modules/request-template.ts';

const WHOLE = /^\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}$/;
const ANY = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

const apps = loadCatalog({ appsDir: null, env: {} }).list();
const modules = apps.flatMap((app) =>
  app.modules
    .filter((m): m is ModuleDefinition & { request: RequestDefinition } => m.request !== undefined)
    .map((m) => [`${app.id} ${m.id}`, m] as const),
);

/** Where the template puts an input's whole value: the rendered value there must keep the input's type. */
function wholePlaceholders(template: unknown, path: string[] = []): Array<{ path: string[]; name: string }> {
  if (typeof template === 'string') {
    const whole = WHOLE.exec(template);
    return whole ? [{ path, name: whole[1]! }] : [];
  }
  if (Array.isArray(template)) return template.flatMap((v, i) => wholePlaceholders(v, [...path, String(i)]));
  if (template && typeof template === 'object')
    return Object.entries(template).flatMap(([k, v]) => wholePlaceholders(v, [...path, k]));
  return [];
}

function at(value: unknown, path: string[]): unknown {
  let current = value;
  for (const segment of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}

function namesIn(request: RequestDefinition): Set<string> {
  return new Set([...JSON.stringify(request).matchAll(ANY)].map((m) => m[1]!));
}

function jsonType(input: InputDefinition): string | undefined {
  switch (input.type) {
    case 'number':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'list':
      return 'array';
    case 'map':
      return 'object';
    case 'select':
      return input.options?.length ? typeof input.options[0]!.value : 'string';
    case 'json':
      return undefined;
    default:
      return 'string';
  }
}

const typeOf = (value: unknown): string => (Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value);

function leftovers(rendered: RenderedRequest): string[] {
  return [...JSON.stringify(rendered).matchAll(ANY)].map((m) => m[0]);
}

describe('every module renders from its examples', () => {
  it.each(modules)('%s', (_label, module) => {
    const used = namesIn(module.request);
    const missing = module.inputs
      .filter((i) => used.has(i.name) && i.example === undefined && i.default === undefined)
      .map((i) => i.name);
    expect(missing, 'inputs the request uses need an example (or a default)').toEqual([]);

    const examples = Object.fromEntries(module.inputs.map((i) => [i.name, i.example ?? i.default]));
    const rendered = renderRequest(module.request, typedInputs(module.inputs, examples));
    expect(leftovers(rendered)).toEqual([]);
    expect(() => new URL(rendered.url, 'https://base.example')).not.toThrow();

    const byName = new Map(module.inputs.map((i) => [i.name, i]));
    const sections = { query: module.request.query, headers: module.request.headers, body: module.request.body };
    for (const [section, template] of Object.entries(sections)) {
      for (const { path, name } of wholePlaceholders(template)) {
        const input = byName.get(name)!;
        const value = at(rendered[section as keyof typeof sections], path);
        if (input.required) expect(value, `${name} is required, so ${section}.${path.join('.')} is sent`).toBeDefined();
        const expected = section === 'body' ? jsonType(input) : 'string';
        if (value !== undefined && expected)
          expect(typeOf(value), `${section}.${path.join('.')} keeps ${name}'s type`).toBe(expected);
      }
    }

    const onlyRequired = Object.fromEntries(
      module.inputs.filter((i) => i.required).map((i) => [i.name, i.example ?? i.default]),
    );
    expect(leftovers(renderRequest(module.request, typedInputs(module.inputs, onlyRequired)))).toEqual([]);
  });
});
