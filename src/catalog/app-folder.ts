import path from 'node:path';
import { readJsonFolder } from './json-files.ts';
import { checkAppValue } from './parse-app.ts';
import { applyPreset, loadPresets, type Presets } from './presets.ts';
import type { CatalogProblem } from './problems.ts';
import type { AppDefinition } from './schema.ts';

/**
 * The built-in catalog: one file per app in apps/ at the repository's root,
 * presets in apps/presets/. Resolved from this module, which sits at the same
 * depth in src/ and in dist/, so tsx and the built server both find it.
 */
export const BUILT_IN_APPS_DIR = path.resolve(import.meta.dirname, '../../apps');
export const PRESETS_FOLDER = 'presets';

export interface AppFile {
  file: string;
  app: AppDefinition;
}

/** How a folder's files are named in problems: built-in ones from the repository's root, others as given. */
export function displayIn(dir: string): (name: string) => string {
  const root = path.dirname(BUILT_IN_APPS_DIR);
  const inBuiltIn = path.resolve(dir).startsWith(BUILT_IN_APPS_DIR);
  return (name) => (inBuiltIn ? path.relative(root, path.join(dir, name)) : path.join(dir, name));
}

/** The presets of `dir`/presets/, over `inherited` (a preset of the same name replaces the inherited one). */
export function presetsOf(dir: string, inherited?: Presets): { presets: Presets; problems: CatalogProblem[] } {
  const presetsDir = path.join(dir, PRESETS_FOLDER);
  return loadPresets(presetsDir, displayIn(presetsDir), inherited);
}

/**
 * One app from a file's JSON: its `extends` resolved, then checked. Every
 * problem is returned rather than thrown, so a folder reports all of them.
 */
export function readAppValue(
  value: unknown,
  file: string,
  presets: Presets,
): { app?: AppDefinition; problems: CatalogProblem[] } {
  const extended = applyPreset(value, file, presets);
  if (extended.problems.length) return { problems: extended.problems };
  const { preset } = extended;
  return checkAppValue(
    extended.value,
    file,
    preset ? { preset: preset.name, presetValue: preset.value, own: value } : undefined,
  );
}

/**
 * Every app file of a folder (the folder is the index: every `*.json` but
 * schema.json), with every problem of every file. An id may be used by one
 * file only; in the built-in folder a file is named after its app's id.
 */
export function readAppFolder(
  dir: string,
  options: { presets: Presets; namesAreIds: boolean },
): { apps: AppFile[]; problems: CatalogProblem[] } {
  const { files, problems } = readJsonFolder(dir, displayIn(dir));
  const apps: AppFile[] = [];
  const fileOf = new Map<string, string>();
  for (const { file, value } of files) {
    const read = readAppValue(value, file, options.presets);
    problems.push(...read.problems);
    if (!read.app) continue;
    const { id } = read.app;
    const other = fileOf.get(id);
    if (other) {
      problems.push({ file, path: 'id', message: `"${id}" is already the id of ${other}; give each app one file` });
      continue;
    }
    if (options.namesAreIds && path.basename(file) !== `${id}.json`) {
      problems.push({ file, path: 'id', message: `is "${id}", so the file must be named ${id}.json` });
      continue;
    }
    fileOf.set(id, file);
    apps.push({ file, app: read.app });
  }
  // File by file, each file's problems in the order found.
  return { apps, problems: problems.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0)) };
}
