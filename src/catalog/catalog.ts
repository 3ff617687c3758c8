import { HitchError } from '../errors.ts';
import { BUILT_IN_APPS_DIR, presetsOf, readAppFolder, readAppValue } from './app-folder.ts';
import { CatalogError, type CatalogProblem } from './problems.ts';
import type { AppDefinition, AppInput, ConnectionKindDefinition } from './schema.ts';

export { CatalogError } from './problems.ts';
export { parseApp } from './parse-app.ts';

export interface Catalog {
  list(): AppDefinition[];
  get(id: string): AppDefinition | undefined;
  /** The app, or HitchError('app_not_found'). */
  require(id: string): AppDefinition;
  /** The app's connection kind of `type` (its first when omitted), or HitchError('auth_not_supported'). */
  kind(app: AppDefinition, type?: string): ConnectionKindDefinition;
  /** Whether HITCH_APP_<ID>_CLIENT_ID is set for the app: people then need no OAuth client of their own. */
  hasPlatformClient(id: string): boolean;
}

export interface CatalogSources {
  /** HITCH_APPS_DIR: administrators' app files, in the built-in files' format. */
  appsDir: string | null;
  /** Apps given as values (tests, benchmarks), after the files. */
  extraApps?: AppInput[];
  /** The built-in folder; apps/ at the repository's root unless a test or the converter says otherwise. */
  builtInDir?: string;
}

/**
 * The built-in apps, then administrators' files, then `extraApps`; an app with
 * the id of an earlier one replaces it. Every problem of every file is
 * returned, so they can be reported at once.
 */
export function readCatalog(sources: CatalogSources): { apps: AppDefinition[]; problems: CatalogProblem[] } {
  const builtInDir = sources.builtInDir ?? BUILT_IN_APPS_DIR;
  const builtInPresets = presetsOf(builtInDir);
  const builtIn = readAppFolder(builtInDir, { presets: builtInPresets.presets, namesAreIds: true });
  const problems = [...builtInPresets.problems, ...builtIn.problems];
  const apps = new Map(builtIn.apps.map(({ app }) => [app.id, app]));
  if (sources.appsDir) {
    // Administrators' presets (HITCH_APPS_DIR/presets/) serve their own files only.
    const own = presetsOf(sources.appsDir, builtInPresets.presets);
    const files = readAppFolder(sources.appsDir, { presets: own.presets, namesAreIds: false });
    problems.push(...own.problems, ...files.problems);
    for (const { app } of files.apps) apps.set(app.id, app);
  }
  for (const input of sources.extraApps ?? []) {
    const read = readAppValue(input, `"${input.id}"`, builtInPresets.presets);
    problems.push(...read.problems);
    if (read.app) apps.set(read.app.id, read.app);
  }
  return { apps: [...apps.values()], problems };
}

/** The catalog a server runs with: see readCatalog. A problem in any file stops it, with every problem listed. */
export function loadCatalog(options: CatalogSources & { env?: NodeJS.ProcessEnv } = { appsDir: null }): Catalog {
  const read = readCatalog(options);
  if (read.problems.length) throw new CatalogError(read.problems);
  const apps = new Map(read.apps.map((app) => [app.id, app]));
  const env = options.env ?? process.env;
  // Read once at start-up, like the rest of the configuration.
  const withPlatformClient = new Set([...apps.keys()].filter((id) => platformClient(id, env) !== null));

  return {
    list: () => [...apps.values()],
    get: (id) => apps.get(id),
    require(id) {
      const app = apps.get(id);
      if (!app)
        throw new HitchError('app_not_found', {
          message: `There is no app "${id}": pick one from GET /api/v1/apps.`,
          details: { field: 'app' },
        });
      return app;
    },
    kind(app, type) {
      const kind = type === undefined ? app.connections[0] : app.connections.find((k) => k.type === type);
      if (!kind) {
        const offered = app.connections.map((k) => k.type).join(', ');
        throw new HitchError('auth_not_supported', {
          message:
            type === undefined
              ? `${app.name} offers no way to connect.`
              : `${app.name} does not offer "${type}" authorization; it offers: ${offered}.`,
          details: { field: 'auth' },
        });
      }
      return kind;
    },
    hasPlatformClient: (id) => withPlatformClient.has(id),
  };
}

/**
 * The platform's own OAuth client for an app, from HITCH_APP_<ID>_CLIENT_ID and
 * HITCH_APP_<ID>_CLIENT_SECRET (id in upper snake case).
 */
export function platformClient(
  appId: string,
  env: NodeJS.ProcessEnv = process.env,
): { clientId: string; clientSecret: string | undefined } | null {
  const prefix = `HITCH_APP_${appId.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_`;
  const clientId = env[`${prefix}CLIENT_ID`];
  if (!clientId) return null;
  return { clientId, clientSecret: env[`${prefix}CLIENT_SECRET`] || undefined };
}
