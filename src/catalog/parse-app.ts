import type { z } from 'zod';
import { isJsonObject } from './merge.ts';
import { CatalogError, type CatalogProblem } from './problems.ts';
import {
  appSchema,
  destinationParameters,
  type AppDefinition,
  type ConnectionKindDefinition,
  type ParameterDefinition,
} from './schema.ts';

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

/** Every string of a value with `{{apiVersion}}` written out. */
function withVersion(value: unknown, version: string): unknown {
  if (typeof value === 'string') return value.replace(/\{\{\s*apiVersion\s*\}\}/g, version);
  if (Array.isArray(value)) return value.map((v) => withVersion(v, version));
  if (isJsonObject(value))
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withVersion(v, version)]));
  return value;
}

/**
 * A module's request may name the app's version in its path (Shopify's `/admin/api/{{apiVersion}}/graphql.json`):
 * written out once here, so rendering, endpoint grants and listings all see the one version.
 */
function withVersionedModules(app: AppDefinition): AppDefinition {
  const version = app.apiVersion?.value;
  if (version === undefined) return app;
  return {
    ...app,
    modules: app.modules.map((m) =>
      m.request ? { ...m, request: withVersion(m.request, version) as typeof m.request } : m,
    ),
  };
}

function completeApp(parsed: z.infer<typeof appSchema>): AppDefinition {
  // `$schema` is for editors and `extends` is resolved before the check: neither is part of the app.
  const app = { ...parsed };
  delete app.$schema;
  delete app.extends;
  return withVersionedModules({
    ...app,
    connections: app.connections.map((kind) => withDestinations(withOwnClientParameters(kind))),
  });
}

/** The value at `path`, or undefined. */
function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let current = value;
  for (const key of path) {
    if (Array.isArray(current) && typeof key === 'number') current = current[key];
    else if (isJsonObject(current) && typeof key === 'string' && Object.hasOwn(current, key)) current = current[key];
    else return undefined;
  }
  return current;
}

/**
 * Whether the value at `path` is the preset's: the file leaves out a key of
 * an object that the preset gives. Below an array the file wrote, it is the file's.
 */
function fromPreset(own: unknown, preset: unknown, path: readonly PropertyKey[]): boolean {
  let mine = own;
  let theirs = preset;
  for (const key of path) {
    if (!isJsonObject(mine) || typeof key !== 'string') return false;
    if (!Object.hasOwn(mine, key)) return isJsonObject(theirs) && Object.hasOwn(theirs, key);
    mine = mine[key];
    theirs = isJsonObject(theirs) ? theirs[key] : undefined;
  }
  return false;
}

/** Zod's message, said for a person where it is vague: a missing field is "required", an empty one "must not be empty". */
function describeIssue(issue: z.core.$ZodIssue, value: unknown): string {
  if (issue.code === 'invalid_type' && valueAt(value, issue.path) === undefined)
    return `is required (${issue.expected})`;
  if (issue.code === 'too_small' && issue.origin === 'string' && issue.minimum === 1) return 'must not be empty';
  if (issue.code === 'too_small' && issue.origin === 'array' && issue.minimum === 1) return 'needs at least one entry';
  return issue.message;
}

/** One problem per issue, and one per unknown field (a typo), named by its own path. */
function problemsOf(issue: z.core.$ZodIssue): Array<{ path: PropertyKey[]; issue: z.core.$ZodIssue }> {
  if (issue.code !== 'unrecognized_keys') return [{ path: issue.path, issue }];
  return issue.keys.map((key) => ({ path: [...issue.path, key], issue }));
}

/**
 * An app (its `extends` already resolved) checked against the schema, with
 * every problem found: all the fields that do not match, and the rules across
 * fields of every connection kind and module that does. `from` is the file as
 * written and the preset's part, so a problem in a value the preset gave says so.
 */
export function checkAppValue(
  value: unknown,
  file: string,
  from?: { preset: string; presetValue: unknown; own: unknown },
): { app: AppDefinition; problems: [] } | { app?: undefined; problems: CatalogProblem[] } {
  const result = appSchema.safeParse(value);
  if (result.success) return { app: completeApp(result.data), problems: [] };
  return {
    problems: result.error.issues.flatMap(problemsOf).map(({ path, issue }) => {
      const message =
        issue.code === 'unrecognized_keys' ? 'is not a field here: check its spelling' : describeIssue(issue, value);
      const inherited = from && fromPreset(from.own, from.presetValue, path);
      return {
        file,
        path: path.map(String).join('.'),
        message: inherited ? `${message} (a value of the preset "${from.preset}")` : message,
      };
    }),
  };
}

/** One app, or a CatalogError listing every problem it has. */
export function parseApp(input: unknown, source: string): AppDefinition {
  const { app, problems } = checkAppValue(input, source);
  if (!app) throw new CatalogError(problems);
  return app;
}
