import fs from 'node:fs';
import path from 'node:path';
import { BUILT_IN_APPS_DIR, presetsOf, readAppFolder } from '../../catalog/app-folder.ts';
import { loadCatalog } from '../../catalog/catalog.ts';
import { formatProblem } from '../../catalog/problems.ts';
import { STALE_AFTER_MONTHS, staleApps, staleBefore } from '../../catalog/stale.ts';
import type { Config } from '../../config.ts';

export const APPS_USAGE = 'apps <check DIR [--stale]|list>';

/**
 * `hitch apps check DIR`: every problem of every app file in DIR (and of its
 * presets/), or a one-line summary; nothing is started and no database is
 * opened. The folder's files may extend the built-in presets, as
 * HITCH_APPS_DIR files do. With `--stale`, valid files are also listed when their
 * facts are due a review (see catalog/stale.ts): a report, so the exit code stays 0.
 */
function checkCommand(dir: string, out: NodeJS.WritableStream, stale: { today: Date } | null): number {
  if (!fs.statSync(dir, { throwIfNoEntry: false })?.isDirectory()) {
    out.write(`hitch: ${dir} is not a folder; give the folder that holds the app files\n`);
    return 1;
  }
  const builtIn = path.resolve(dir) === BUILT_IN_APPS_DIR;
  const builtInPresets = presetsOf(BUILT_IN_APPS_DIR);
  const presets = builtIn ? builtInPresets : presetsOf(dir, builtInPresets.presets);
  const { apps, problems } = readAppFolder(dir, { presets: presets.presets, namesAreIds: builtIn });
  problems.unshift(...presets.problems);
  if (problems.length) {
    for (const problem of problems) out.write(`${formatProblem(problem)}\n`);
    const files = new Set(problems.map((p) => p.file)).size;
    out.write(
      `${problems.length} problem${problems.length === 1 ? '' : 's'} in ${files} file${files === 1 ? '' : 's'}\n`,
    );
    return 1;
  }
  if (apps.length === 0) {
    out.write(`hitch: ${dir} holds no app files (*.json)\n`);
    return 1;
  }
  out.write(`${dir}: ${apps.length} app${apps.length === 1 ? '' : 's'}, every one valid\n`);
  if (stale) {
    const due = staleApps(
      apps.map((entry) => entry.app),
      stale.today,
    );
    const since = staleBefore(stale.today);
    if (due.length === 0) out.write(`Every app was reviewed, and chose its API version, on or after ${since}.\n`);
    else {
      out.write(
        `${due.length} app${due.length === 1 ? '' : 's'} not reviewed for ${STALE_AFTER_MONTHS} months (before ${since}):\n`,
      );
      const width = Math.max(...due.map((app) => app.id.length));
      for (const app of due) out.write(`  ${app.id.padEnd(width)}  ${app.reasons.join('; ')}\n`);
    }
  }
  return 0;
}

function table(title: string, counts: Map<string, number>): string {
  const rows = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0], 'en'));
  const width = Math.max(...rows.map(([name]) => name.length));
  return `${title}\n${rows.map(([name, n]) => `  ${name.padEnd(width)}  ${n}`).join('\n')}\n`;
}

/** `hitch apps list`: the catalog the server would load (built in + HITCH_APPS_DIR), counted by kind and category. */
function listCommand(config: Config, out: NodeJS.WritableStream): number {
  const apps = loadCatalog({ appsDir: config.appsDir, env: {} }).list();
  const kinds = new Map<string, number>();
  const categories = new Map<string, number>();
  for (const app of apps) {
    for (const kind of new Set(app.connections.map((k) => k.type))) kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
    categories.set(app.category, (categories.get(app.category) ?? 0) + 1);
  }
  const from = config.appsDir ? `the built-in catalog and ${config.appsDir}` : 'the built-in catalog';
  out.write(`${apps.length} apps, from ${from}\n\n`);
  out.write(`${table('By kind of connection (an app may offer several)', kinds)}\n`);
  out.write(table('By category', categories));
  return 0;
}

export function appsCommand(
  args: string[],
  io: { config: () => Config; out: NodeJS.WritableStream; today?: Date },
): number {
  const [sub, ...rest] = args;
  const stale = rest.includes('--stale');
  const dirs = rest.filter((arg) => arg !== '--stale');
  if (sub === 'check' && dirs.length === 1)
    return checkCommand(dirs[0]!, io.out, stale ? { today: io.today ?? new Date() } : null);
  if (sub === 'list' && rest.length === 0) return listCommand(io.config(), io.out);
  io.out.write(`Usage: npm run hitch -- apps check DIR [--stale] | apps list\n`);
  return 1;
}
