import path from 'node:path';
import { z } from 'zod';
import { readJsonFolder } from './json-files.ts';
import { isJsonObject, mergeOverPreset } from './merge.ts';
import type { CatalogProblem } from './problems.ts';
import { appSchema, extendsSchema, stringsIn } from './schema.ts';

/**
 * Presets: the shape several apps share (Google's, Microsoft's, Atlassian's
 * sign-in), one file each in apps/presets/<name>.json, named by an app file's
 * `extends`. A preset's strings may hold `${name}` for a value the app file
 * gives in `extends.with` (Atlassian's product). The `${…}` form is the
 * preset's own: it is filled in before the app is checked, while the
 * connection's `{{name}}` templates pass through untouched, so the two can
 * never be taken for one another.
 */

const PARAMETER_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const PRESET_PARAMETER = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;
const WHOLE_PRESET_PARAMETER = /^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$/;
/** What a preset may not give: every app names itself and builds on one preset at most. */
const NOT_IN_PRESETS = new Set(['$schema', 'id', 'extends']);

export const presetSchema = z.strictObject({
  $schema: z.string().optional(),
  /** Why the preset is what it is, with the documentation it comes from. */
  notes: z.array(z.string()).optional(),
  /** The values an app file gives in `extends.with`, each described; all are required. */
  parameters: z
    .record(
      z.string().regex(PARAMETER_NAME, { error: 'must be a letter or _ followed by letters, digits or _' }),
      z.strictObject({ description: z.string().min(1) }),
    )
    .default({}),
  /** The part of an app every app built on the preset shares. */
  app: z.record(z.string(), z.unknown()),
});

export interface Preset {
  name: string;
  file: string;
  parameters: Record<string, { description: string }>;
  app: Record<string, unknown>;
}

export type Presets = ReadonlyMap<string, Preset>;

/** The presets of `dir` (a missing folder has none), checked on their own: fields an app has, declared parameters. */
export function loadPresets(
  dir: string,
  display: (name: string) => string,
  inherited: Presets = new Map(),
): { presets: Presets; problems: CatalogProblem[] } {
  const presets = new Map(inherited);
  const { files, problems } = readJsonFolder(dir, display, { optional: true });
  const appFields = new Set(Object.keys(appSchema.shape));
  for (const { file, value } of files) {
    const parsed = presetSchema.safeParse(value);
    if (!parsed.success) {
      for (const issue of parsed.error.issues)
        problems.push({ file, path: issue.path.join('.'), message: issue.message });
      continue;
    }
    const { parameters, app } = parsed.data;
    let valid = true;
    for (const key of Object.keys(app)) {
      if (!appFields.has(key) || NOT_IN_PRESETS.has(key)) {
        problems.push({ file, path: `app.${key}`, message: `"${key}" is not a field a preset may give an app` });
        valid = false;
      }
    }
    for (const { path: at, value: text } of stringsIn(app)) {
      for (const [, name] of text.matchAll(PRESET_PARAMETER)) {
        if (!Object.hasOwn(parameters, name!)) {
          problems.push({
            file,
            path: ['app', ...at].map(String).join('.'),
            message: `uses \${${name!}}, which is not one of the preset's parameters`,
          });
          valid = false;
        }
      }
    }
    const name = path.basename(file, '.json');
    if (valid) presets.set(name, { name, file, parameters, app });
  }
  return { presets, problems };
}

/**
 * An app file with its `extends` resolved: the preset's app, its `${…}`
 * filled from `extends.with`, with the file merged over it (./merge.ts).
 * Without `extends`, the file as it is.
 */
export function applyPreset(
  value: unknown,
  file: string,
  presets: Presets,
): { value: unknown; preset?: { name: string; value: unknown }; problems: CatalogProblem[] } {
  if (!isJsonObject(value) || value.extends === undefined) return { value, problems: [] };
  const { extends: named, ...own } = value;
  const problem = (at: string, message: string) => ({ value, problems: [{ file, path: at, message }] });
  const parsed = extendsSchema.safeParse(named);
  if (!parsed.success) return problem('extends', 'must be a preset’s name, or { "preset": name, "with": { … } }');
  const { preset: name, with: given } =
    typeof parsed.data === 'string' ? { preset: parsed.data, with: {} } : parsed.data;
  const preset = presets.get(name);
  if (!preset) {
    const known = [...presets.keys()].sort().join(', ') || 'none';
    return problem('extends', `there is no preset "${name}"; the presets are: ${known}`);
  }

  const problems: CatalogProblem[] = [];
  for (const [parameter, { description }] of Object.entries(preset.parameters)) {
    if (!Object.hasOwn(given, parameter))
      problems.push({
        file,
        path: 'extends.with',
        message: `the preset "${name}" needs "${parameter}" (${description}); give it in "with"`,
      });
  }
  for (const parameter of Object.keys(given)) {
    if (!Object.hasOwn(preset.parameters, parameter)) {
      const takes = Object.keys(preset.parameters).join(', ') || 'none';
      problems.push({
        file,
        path: `extends.with.${parameter}`,
        message: `the preset "${name}" has no parameter "${parameter}"; it takes: ${takes}`,
      });
    }
  }
  if (problems.length) return { value, problems };
  const notText = new Set<string>();
  const filled = fillPresetParameters(preset.app, given, (parameter) => notText.add(parameter));
  for (const parameter of notText)
    problems.push({
      file,
      path: `extends.with.${parameter}`,
      message: `must be a string, a number or a boolean: the preset "${name}" puts it inside a text`,
    });
  if (problems.length) return { value, problems };
  return { value: mergeOverPreset(filled, own), preset: { name, value: filled }, problems };
}

/** `${name}` replaced: a whole string by the value as it is (any JSON), a part of one by its text. */
function fillPresetParameters(
  value: unknown,
  given: Record<string, unknown>,
  notText: (parameter: string) => void,
): unknown {
  if (typeof value === 'string') {
    const whole = WHOLE_PRESET_PARAMETER.exec(value);
    if (whole) return given[whole[1]!];
    return value.replace(PRESET_PARAMETER, (_, parameter: string) => {
      const text = given[parameter];
      if (typeof text === 'string' || typeof text === 'number' || typeof text === 'boolean') return String(text);
      notText(parameter);
      return '';
    });
  }
  if (Array.isArray(value)) return value.map((v) => fillPresetParameters(v, given, notText));
  if (isJsonObject(value))
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fillPresetParameters(v, given, notText)]));
  return value;
}
