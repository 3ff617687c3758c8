import { z } from 'zod';
import { reservedNameIn } from './reserved-parameters.ts';

/**
 * The app-definition schema. An app is data: identity, the kinds of connection
 * it offers (a discriminated union on `type`, no catch-all), its scopes and its
 * modules. Built-in apps (apps/*.json at the repository's root) and
 * administrators' files (HITCH_APPS_DIR), in the same format, are checked by
 * this one schema when they load, after their `extends` is resolved
 * (./presets.ts); apps/schema.json is generated from it (./json-schema.ts).
 *
 * String fields of a connection kind may hold `{{name}}` templates naming the
 * connection's parameters or values learned while authorizing (Shopify's
 * `{{shop}}`, Salesforce's `{{instance_url}}`); they are filled in by
 * `resolve.ts` for one connection.
 */

const ID = /^[a-z][a-z0-9-]{0,62}$/;
const TEMPLATE_NAME = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

/** The parameter names a template string uses. */
export function templateNames(value: string): string[] {
  return [...value.matchAll(TEMPLATE_NAME)].map((m) => m[1]!);
}

const text = z.string().min(1);
/** An absolute URL, or one made absolute by a template such as `https://{{shop}}.myshopify.com`. */
const urlTemplate = z.string().refine((v) => /^https?:\/\//.test(v) || /^\{\{/.test(v), {
  error: 'must be an http(s) URL or start with a {{parameter}}',
});
/** A request target: an absolute URL template, or a path relative to the kind's base URL. */
const targetTemplate = z.string().refine((v) => /^https?:\/\//.test(v) || v.startsWith('/') || v.startsWith('{{'), {
  error: 'must be a URL, a path starting with /, or a {{parameter}}',
});
const templated = <T extends z.ZodType>(schema: T) =>
  z.union([schema, z.string().regex(/^\{\{\s*[A-Za-z_][A-Za-z0-9_]*\s*\}\}$/)]);
const stringMap = z.record(z.string(), z.string());
/** Why a value is what it is, and the documentation it comes from: for people reading the file, never served. */
const notes = z
  .array(z.string())
  .optional()
  .meta({ description: 'Why the values are what they are, with links to the documentation they come from.' });

export const parameterSchema = z.strictObject({
  name: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { error: 'must be a letter or _ followed by letters, digits or _' }),
  label: text,
  type: z.enum(['text', 'url', 'password', 'select', 'boolean', 'map', 'list']).default('text'),
  help: z.string().optional(),
  required: z.boolean().default(false),
  /** Write-only: stored in the vault, never returned. */
  secret: z.boolean().default(false),
  /** Shown under "Show advanced settings". */
  advanced: z.boolean().default(false),
  /** May change after creation through PATCH (non-secret only; a destination only with every secret entered again). */
  editable: z.boolean().default(false),
  /**
   * Decides where credentials are sent (a host, a base URL, an OAuth endpoint). Derived when
   * absent (see `destinationParameters`); set it for a value that steers requests in a way the
   * templates do not show.
   */
  destination: z.boolean().optional(),
  /** A regular expression the whole value must match, so a bad value is refused before any redirect. */
  pattern: z.string().optional(),
  options: z.array(z.strictObject({ value: z.string(), label: text })).optional(),
  default: z.union([z.string(), z.boolean(), stringMap, z.array(z.string())]).optional(),
});
export type ParameterDefinition = z.infer<typeof parameterSchema>;

/** Where credentials go on a request to the service. */
export const placementSchema = z.strictObject({
  /** `header`, `query` or `both`; may be a template for the generic app. */
  in: templated(z.enum(['header', 'query', 'both'])).default('header'),
  headerName: z.string().default('Authorization'),
  /** Put before the token in the header, e.g. `Bearer ` (a space is added when missing). */
  headerPrefix: z.string().default('Bearer'),
  queryName: z.string().default('access_token'),
});

/** The "who am I" request: checks the credentials and names the account. */
export const verifySchema = z.strictObject({
  method: z.enum(['GET', 'POST']).default('GET'),
  url: targetTemplate,
  headers: stringMap.optional(),
  body: z.string().optional(),
  /** Dot paths into the JSON answer; the first that has a value wins. */
  accountId: z.array(z.string()).default([]),
  accountLabel: z.array(z.string()).default([]),
  /** A dot path that must be `true` in the answer: Slack says `{"ok": false}` with HTTP 200 when it refuses a token. */
  successField: z.string().optional(),
});
export type VerifyDefinition = z.infer<typeof verifySchema>;

export const oauth2KindSchema = z.strictObject({
  type: z.literal('oauth2'),
  notes,
  /** `authorization_code` (a person consents in the browser) or `client_credentials` (no browser; renewal re-runs the grant). */
  flow: templated(z.enum(['authorization_code', 'client_credentials'])).default('authorization_code'),
  authorizeUrl: urlTemplate,
  tokenUrl: urlTemplate,
  revokeUrl: urlTemplate.optional(),
  /** The authorization server's issuer: enables OpenID discovery and the RFC 9207 `iss` check. */
  issuer: urlTemplate.optional(),
  scopeSeparator: templated(z.enum([' ', ','])).default(' '),
  /** The authorize parameter that carries the scopes: Slack's user tokens come only for `user_scope`. */
  scopeParameter: z
    .string()
    .regex(/^[a-z_]+$/)
    .default('scope'),
  /** Always requested, whatever the modules need. */
  baseScopes: z.array(z.string()).default([]),
  pkce: templated(z.boolean()).default(true),
  clientAuth: templated(z.enum(['client_secret_post', 'client_secret_basic'])).default('client_secret_post'),
  authorizeParameters: z.union([stringMap, z.string()]).default({}),
  tokenParameters: z.union([stringMap, z.string()]).default({}),
  refreshParameters: z.union([stringMap, z.string()]).default({}),
  /** Headers sent with token and refresh calls. */
  tokenHeaders: z.union([stringMap, z.string()]).default({}),
  /** Where the token set sits when not at the top of the response (Slack's `authed_user`). */
  tokenPath: z.string().optional(),
  /** Lifetime to assume when the service sends no `expires_in`; absent means the token does not expire. */
  defaultExpiresInSeconds: z.number().int().positive().optional(),
  /** Values to keep from the token response as connection data (Salesforce's `instance_url`). */
  keepFromTokenResponse: z.array(z.string()).default([]),
  /** Values to keep from the callback's query string (QuickBooks' `realmId`). */
  keepFromCallback: z.array(z.string()).default([]),
  placement: placementSchema.default({
    in: 'header',
    headerName: 'Authorization',
    headerPrefix: 'Bearer',
    queryName: 'access_token',
  }),
  baseUrl: urlTemplate,
  verify: verifySchema.optional(),
  parameters: z.array(parameterSchema).default([]),
});
export type OAuth2KindDefinition = z.infer<typeof oauth2KindSchema>;

/** One secret value placed on every request: Trello sends a key and a token, two of these. */
export const apiKeyPlacementSchema = z.strictObject({
  /** The secret parameter holding the value. */
  parameter: z.string(),
  in: templated(z.enum(['header', 'query'])).default('header'),
  /** Header or query parameter name; may be a template for the generic app. */
  name: z.string().min(1),
  /** Put before the value, e.g. `Bearer` (joined with a space) — empty for none. */
  prefix: z.string().default(''),
});

export const apiKeyKindSchema = z.strictObject({
  type: z.literal('apiKey'),
  notes,
  keys: z.array(apiKeyPlacementSchema).min(1),
  baseUrl: urlTemplate,
  verify: verifySchema.optional(),
  parameters: z.array(parameterSchema).default([]),
});
export type ApiKeyKindDefinition = z.infer<typeof apiKeyKindSchema>;

export const basicKindSchema = z.strictObject({
  type: z.literal('basic'),
  notes,
  usernameParameter: z.string().default('username'),
  passwordParameter: z.string().default('password'),
  baseUrl: urlTemplate,
  verify: verifySchema.optional(),
  parameters: z.array(parameterSchema).default([]),
});
export type BasicKindDefinition = z.infer<typeof basicKindSchema>;

export const connectionKindSchema = z.discriminatedUnion('type', [oauth2KindSchema, apiKeyKindSchema, basicKindSchema]);
/** A kind with its rules across fields, checked even when another part of the app is wrong. */
const checkedKindSchema = connectionKindSchema.superRefine((kind, ctx) =>
  checkKind(kind, (path, message) => ctx.addIssue({ code: 'custom', path, message })),
);
export type ConnectionKindDefinition = z.infer<typeof connectionKindSchema>;
export type AuthKind = ConnectionKindDefinition['type'];

export const scopeSchema = z.strictObject({ name: text, description: text });

/** What a module's input holds, which decides how the web app shows it. */
export const INPUT_TYPES = ['text', 'textarea', 'number', 'boolean', 'select', 'json', 'list', 'map'] as const;

/** A field a person fills in a module (or maps from an earlier module's output). */
export const inputSchema = z.strictObject({
  name: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/),
  label: text,
  type: z.enum(INPUT_TYPES).default('text'),
  required: z.boolean().default(false),
  help: z.string().optional(),
  default: z.unknown().optional(),
  options: z.array(z.strictObject({ value: z.string(), label: text })).optional(),
});
export type InputDefinition = z.infer<typeof inputSchema>;

/**
 * A module's request as data. `url` is a path below the connection's base URL
 * (or an absolute URL on the app's hosts); strings anywhere in it may use
 * `{{input}}` templates over the module's inputs.
 */
export const requestSchema = z.strictObject({
  method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']).default('GET'),
  url: targetTemplate,
  query: stringMap.optional(),
  headers: stringMap.optional(),
  /** JSON body template; `bodyType: 'form'` sends it form-encoded. */
  body: z.unknown().optional(),
  bodyType: z.enum(['json', 'form', 'raw']).default('json'),
  /** Dot path of the part of the JSON answer that is the module's output (`items`, `data.0`). */
  output: z.string().optional(),
});
export type RequestDefinition = z.infer<typeof requestSchema>;

export const moduleSchema = z.strictObject({
  id: z.string().regex(ID),
  name: text,
  notes,
  description: z.string().optional(),
  /** What a scenario using this module needs granted: least privilege comes from here. */
  scopes: z.array(z.string()).default([]),
  inputs: z.array(inputSchema).default([]),
  request: requestSchema.optional(),
  /** Documentation of the endpoint the module calls. */
  docsUrl: z.url().optional(),
});
export type ModuleDefinition = z.infer<typeof moduleSchema>;
/** A module with its rules across fields, checked even when another part of the app is wrong. */
const checkedModuleSchema = moduleSchema.superRefine((module, ctx) =>
  checkModule(module, (path, message) => ctx.addIssue({ code: 'custom', path, message })),
);

const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });

/** A preset the file builds on (apps/presets/<name>.json): its name, or its name and parameters. */
export const extendsSchema = z
  .union([
    z.string().regex(ID),
    z.strictObject({ preset: z.string().regex(ID), with: z.record(z.string(), z.unknown()).default({}) }),
  ])
  .meta({
    description:
      'A preset from apps/presets/ this app builds on: objects merge deeply, arrays and scalars in this file replace the preset’s.',
  });

export const appSchema = z
  .strictObject({
    /** Where an editor finds the JSON Schema (./schema.json); ignored when loading. */
    $schema: z.string().optional(),
    extends: extendsSchema.optional(),
    id: z.string().regex(ID, { error: 'must be lower-case letters, digits and dashes, starting with a letter' }),
    name: text,
    category: z.string().default('Other'),
    docsUrl: httpUrl.optional(),
    /** The service's documentation of its authorization (OAuth app registration, API keys). */
    authDocsUrl: httpUrl.optional(),
    /** The service's list of scopes, where each one's meaning is described. */
    scopesDocsUrl: httpUrl.optional(),
    logo: z.string().optional(),
    notes,
    /** At least one kind; the first is the default. */
    connections: z.array(checkedKindSchema).min(1),
    scopes: z.array(scopeSchema).default([]),
    /** Set when the service cannot limit access: permissions then say "full access" with this link. */
    fullAccess: z.strictObject({ docsUrl: httpUrl, description: z.string().optional() }).optional(),
    modules: z.array(checkedModuleSchema).default([]),
    /** Hosts besides the base URL's that may receive the connection's credentials (e.g. an upload host). */
    hosts: z.array(z.string()).default([]),
  })
  .superRefine((app, ctx) => checkApp(app, (path, message) => ctx.addIssue({ code: 'custom', path, message })));

/** An app as the catalog holds it: checked, its preset merged in (so no `extends`), no `$schema`. */
export type AppDefinition = Omit<z.infer<typeof appSchema>, '$schema' | 'extends'>;
export type AppInput = z.input<typeof appSchema>;

// --- rules across fields ------------------------------------------------------

type Report = (path: PropertyKey[], message: string) => void;

/** Every string inside a value, with its path: templates may sit anywhere in a request or a map. */
export function stringsIn(value: unknown, path: PropertyKey[] = []): Array<{ path: PropertyKey[]; value: string }> {
  if (typeof value === 'string') return [{ path, value }];
  if (Array.isArray(value)) return value.flatMap((v, i) => stringsIn(v, [...path, i]));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => stringsIn(v, [...path, k]));
  return [];
}

function reportDuplicates(names: string[], report: (name: string) => void): void {
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) report(name);
    seen.add(name);
  }
}

/** The fields of a connection kind that hold a URL a request goes to. */
export const URL_FIELDS = ['authorizeUrl', 'tokenUrl', 'revokeUrl', 'issuer', 'baseUrl'] as const;

/**
 * The part of a URL template before its path: the scheme and authority, where a
 * parameter decides which host receives the credentials.
 */
function authorityOf(template: string): string {
  const rest = template.replace(/^https?:\/\//i, '');
  const end = rest.search(/[/?#]/);
  return end === -1 ? rest : rest.slice(0, end);
}

/** A URL template with every `{{name}}` filled by a placeholder, to check its syntax. */
function placeholderUrl(template: string): string {
  return template.replace(/^\{\{[^}]*\}\}/, 'https://placeholder.example').replace(TEMPLATE_NAME, 'placeholder');
}

/**
 * The parameters that decide where a kind's credentials go: every parameter in
 * the scheme or host of a URL field (the verify URL included), and every
 * parameter that starts a URL (`{{baseUrl}}`, the generic app's URIs). A select
 * limited to the app's own options picks among hosts the app declares, so it is
 * not one; an explicit `destination` flag decides over the derivation.
 */
export function destinationParameters(
  kind: Pick<ConnectionKindDefinition, 'parameters' | 'verify'> & Partial<Record<(typeof URL_FIELDS)[number], string>>,
): Set<string> {
  const derived = new Set<string>();
  const templates = [...URL_FIELDS.map((f) => kind[f]), kind.verify?.url].filter(
    (t): t is string => typeof t === 'string',
  );
  for (const template of templates) {
    if (/^https?:\/\//i.test(template)) for (const name of templateNames(authorityOf(template))) derived.add(name);
    else if (template.startsWith('{{')) derived.add(templateNames(template)[0]!);
  }
  const out = new Set<string>();
  for (const param of kind.parameters) {
    const fixedChoice = param.type === 'select' && (param.options?.length ?? 0) > 0;
    if (param.destination ?? (derived.has(param.name) && !fixedChoice)) out.add(param.name);
  }
  return out;
}

function checkUrlTemplate(
  kind: ConnectionKindDefinition,
  field: string,
  template: string,
  path: PropertyKey[],
  report: Report,
): void {
  const params = new Map(kind.parameters.map((p) => [p.name, p]));
  if (/^https?:\/\//i.test(template) || template.startsWith('{{')) {
    try {
      new URL(placeholderUrl(template));
    } catch {
      report(path, `${field} is not a valid URL template`);
    }
  }
  // A person's value that decides the host must be held to a pattern (or a fixed list), else it could send tokens anywhere.
  if (/^https?:\/\//i.test(template)) {
    for (const name of templateNames(authorityOf(template))) {
      const param = params.get(name);
      if (param && !param.pattern && !param.options?.length)
        report(path, `{{${name}}} is part of the host, so parameter "${name}" needs a pattern`);
    }
  } else {
    const whole = /^\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/.exec(template);
    const param = whole ? params.get(whole[1]!) : undefined;
    if (param && param.type !== 'url' && !param.pattern)
      report(path, `{{${param.name}}} starts the URL, so parameter "${param.name}" needs type "url" or a pattern`);
  }
}

function checkKind(kind: ConnectionKindDefinition, report: Report): void {
  reportDuplicates(
    kind.parameters.map((p) => p.name),
    (name) => report(['parameters'], `parameter "${name}" is declared twice`),
  );
  kind.parameters.forEach((param, i) => {
    if (param.pattern === undefined) return;
    try {
      new RegExp(param.pattern);
    } catch {
      report(['parameters', i, 'pattern'], 'is not a valid regular expression');
    }
  });

  const known = new Set(kind.parameters.map((p) => p.name));
  if (kind.type === 'oauth2')
    for (const name of [...kind.keepFromTokenResponse, ...kind.keepFromCallback]) known.add(name);
  for (const { path, value } of stringsIn({ ...kind, parameters: undefined, notes: undefined })) {
    for (const name of templateNames(value)) {
      if (!known.has(name)) report(path, `uses {{${name}}}, which is not a declared parameter`);
    }
  }

  for (const field of URL_FIELDS) {
    const value = (kind as Partial<Record<(typeof URL_FIELDS)[number], string>>)[field];
    if (value !== undefined) checkUrlTemplate(kind, field, value, [field], report);
  }
  if (kind.verify) checkUrlTemplate(kind, 'verify.url', kind.verify.url, ['verify', 'url'], report);

  if (kind.type === 'oauth2') {
    for (const field of ['authorizeParameters', 'tokenParameters', 'refreshParameters'] as const) {
      const map = kind[field];
      const reserved = typeof map === 'object' ? reservedNameIn(map, kind.scopeParameter) : undefined;
      if (reserved) report([field, reserved], `"${reserved}" is set by Hitch's OAuth steps and may not be given here`);
    }
  }

  if (kind.type === 'apiKey') {
    kind.keys.forEach((key, i) => {
      const param = kind.parameters.find((p) => p.name === key.parameter);
      if (!param) report(['keys', i, 'parameter'], `"${key.parameter}" is not a declared parameter`);
      else if (!param.secret)
        report(['keys', i, 'parameter'], `parameter "${key.parameter}" holds a key, so it must be secret`);
    });
  }
  if (kind.type === 'basic') {
    for (const field of ['usernameParameter', 'passwordParameter'] as const) {
      if (!known.has(kind[field])) report([field], `"${kind[field]}" is not a declared parameter`);
    }
  }
}

function checkApp(app: AppDefinition, report: Report): void {
  reportDuplicates(
    app.connections.map((k) => k.type),
    (type) => report(['connections'], `there are two "${type}" connection kinds; keep one of each type`),
  );
  reportDuplicates(
    app.scopes.map((s) => s.name),
    (name) => report(['scopes'], `scope "${name}" is declared twice`),
  );
  reportDuplicates(
    app.modules.map((m) => m.id),
    (id) => report(['modules'], `module "${id}" is declared twice`),
  );

  const declared = new Set(app.scopes.map((s) => s.name));
  app.modules.forEach((module, index) => {
    for (const scope of module.scopes) {
      if (!declared.has(scope))
        report(['modules', index, 'scopes'], `scope "${scope}" is not declared in the app's scopes`);
    }
  });
}

function checkModule(module: ModuleDefinition, report: Report): void {
  reportDuplicates(
    module.inputs.map((i) => i.name),
    (name) => report(['inputs'], `input "${name}" is declared twice`),
  );
  // A module's request is filled from its own inputs only; the connection's values reach it through the base URL.
  const inputs = new Set(module.inputs.map((i) => i.name));
  for (const { path, value } of stringsIn(module.request)) {
    for (const name of templateNames(value)) {
      if (!inputs.has(name)) report(['request', ...path], `uses {{${name}}}, which is not an input of the module`);
    }
  }
}
