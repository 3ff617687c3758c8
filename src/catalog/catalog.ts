import fs from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import { HitchError } from '../errors.ts';
import { builtInApps } from './apps/index.ts';
import {
  appSchema,
  destinationParameters,
  type AppDefinition,
  type AppInput,
  type ConnectionKindDefinition,
  type ParameterDefinition,
} from './schema.ts';

/** Raised at start-up for an app that does not match the schema: names the file and the field. */
export class CatalogError extends Error {
  override name = 'CatalogError';
}

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

/**
 * Every OAuth kind accepts the person's own client under advanced settings;
 * declared here once instead of in every app file.
 */
const OWN_CLIENT_PARAMETERS: ParameterDefinition[] = [
  {
    name: 'clientId',
    label: 'Client ID',
    type: 'text',
    required: false,
    secret: false,
    advanced: true,
    editable: false,
    help: 'Your own OAuth client, used instead of the platform’s.',
  },
  {
    name: 'clientSecret',
    label: 'Client Secret',
    type: 'password',
    required: false,
    secret: true,
    advanced: true,
    editable: false,
  },
];

function withOwnClientParameters(kind: ConnectionKindDefinition): ConnectionKindDefinition {
  if (kind.type !== 'oauth2') return kind;
  const names = new Set(kind.parameters.map((p) => p.name));
  return { ...kind, parameters: [...kind.parameters, ...OWN_CLIENT_PARAMETERS.filter((p) => !names.has(p.name))] };
}

/** Every parameter says whether it is a destination, decided once here so nothing else derives it again. */
function withDestinations(kind: ConnectionKindDefinition): ConnectionKindDefinition {
  const destinations = destinationParameters(kind);
  return { ...kind, parameters: kind.parameters.map((p) => ({ ...p, destination: destinations.has(p.name) })) };
}

function completeApp(app: AppDefinition): AppDefinition {
  return { ...app, connections: app.connections.map((kind) => withDestinations(withOwnClientParameters(kind))) };
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const field = issue.path.length ? issue.path.join('.') : '(the app)';
  return `${field}: ${issue.message}`;
}

export function parseApp(input: unknown, source: string): AppDefinition {
  const result = appSchema.safeParse(input);
  if (!result.success) {
    const more = result.error.issues.length - 1;
    throw new CatalogError(
      `App ${source} is not valid: ${describeIssue(result.error.issues[0]!)}${more > 0 ? ` (and ${more} more problem${more > 1 ? 's' : ''})` : ''}`,
    );
  }
  return completeApp(result.data);
}

function readAppsDir(dir: string): Array<{ input: unknown; source: string }> {
  let files: string[];
  try {
    files = fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .sort();
  } catch {
    throw new CatalogError(`HITCH_APPS_DIR: the folder ${dir} cannot be read`);
  }
  return files.map((file) => {
    const full = path.join(dir, file);
    try {
      return { input: JSON.parse(fs.readFileSync(full, 'utf8')) as unknown, source: full };
    } catch (error) {
      throw new CatalogError(`App ${full} is not valid JSON: ${(error as Error).message}`);
    }
  });
}

/** Built-in apps, then administrators' files; a file with a built-in id replaces it. */
export function loadCatalog(
  options: { appsDir: string | null; extraApps?: AppInput[]; env?: NodeJS.ProcessEnv } = { appsDir: null },
): Catalog {
  const apps = new Map<string, AppDefinition>();
  for (const app of builtInApps) {
    const parsed = parseApp(app, `"${app.id}" (built in)`);
    if (apps.has(parsed.id)) throw new CatalogError(`App "${parsed.id}" is defined twice among the built-in apps`);
    apps.set(parsed.id, parsed);
  }
  const extra = [
    ...(options.appsDir ? readAppsDir(options.appsDir) : []),
    ...(options.extraApps ?? []).map((input) => ({ input, source: `"${input.id}"` })),
  ];
  for (const { input, source } of extra) {
    const parsed = parseApp(input, source);
    apps.set(parsed.id, parsed);
  }
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
          message: `${app.name} does not offer "${type}" authorization; it offers: ${offered}.`,
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
