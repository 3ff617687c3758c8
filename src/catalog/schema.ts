import { z } from 'zod';
import { reservedNameIn } from './reserved-parameters.ts';

/**
 * The app-definition schema. An app is data: identity, the kinds of connection
 * it offers (a discriminated union on `type`, no catch-all), its scopes and its
 * modules. Built-in apps (src/catalog/apps/*.ts) and administrators' JSON files
 * (HITCH_APPS_DIR) are checked by this one schema when they load.
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

export const parameterSchema = z.strictObject({
  name: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { error: 'must be a letter or _ followed by letters, digits or _' }),
  label: text,
  /** `file`: read in the browser only; its JSON fields fill the parameters named in `fills` and the file itself is never sent. */
  type: z.enum(['text', 'url', 'password', 'select', 'boolean', 'map', 'list', 'file']).default('text'),
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
  /** `file` parameters: a field of the uploaded JSON → the parameter it fills (Google's `client_email` → `issuer`). */
  fills: stringMap.optional(),
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

/**
 * A refresh grant's lifetime as the service documents it (linked by `docsUrl`):
 * an absolute lifetime from authorization, an idle lifetime (unused for so many
 * days), and whether each refresh starts the absolute one again (a rotated
 * refresh token with a fresh lifetime). Hitch refreshes an idle connection before
 * an idle lifetime lapses, and warns people only before an end refreshing cannot move.
 */
export const grantLifetimeSchema = z.strictObject({
  absoluteDays: z.number().positive().optional(),
  idleDays: z.number().positive().optional(),
  extendsOnRefresh: z.boolean().default(false),
  /** A boolean parameter that must be true for the absolute lifetime to apply (Google's Testing publishing status). */
  absoluteWhen: z.string().optional(),
  docsUrl: z.url({ protocol: /^https$/, error: 'must be an https URL of the service’s documentation' }),
});
export type GrantLifetimeDefinition = z.infer<typeof grantLifetimeSchema>;

export const oauth2KindSchema = z.strictObject({
  type: z.literal('oauth2'),
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
  /** How long the service lets the grant (its refresh token) live, as it documents: the renewal forecast reads it. */
  grantLifetime: grantLifetimeSchema.optional(),
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
  keys: z.array(apiKeyPlacementSchema).min(1),
  baseUrl: urlTemplate,
  verify: verifySchema.optional(),
  parameters: z.array(parameterSchema).default([]),
});
export type ApiKeyKindDefinition = z.infer<typeof apiKeyKindSchema>;

export const basicKindSchema = z.strictObject({
  type: z.literal('basic'),
  usernameParameter: z.string().default('username'),
  passwordParameter: z.string().default('password'),
  baseUrl: urlTemplate,
  verify: verifySchema.optional(),
  parameters: z.array(parameterSchema).default([]),
});
export type BasicKindDefinition = z.infer<typeof basicKindSchema>;

// --- JWT (RFC 7519) kinds ------------------------------------------------------

/**
 * Connections made with a signed JWT instead of a person's consent or a stored secret.
 * `assertion`: the JWT bearer grant (RFC 7523 §2.1) at `tokenUrl`, signed with the
 * connection's private key (Google service accounts, DocuSign, Salesforce); renewal
 * signs a new assertion. `installation`: an app JWT signed with the platform's key
 * (HITCH_APP_<ID>_APP_*) buys an installation token after a person installs the app
 * through `installUrl` (GitHub Apps).
 */
export const jwtKindSchema = z.strictObject({
  type: z.literal('jwt'),
  flow: z.enum(['assertion', 'installation']).default('assertion'),
  /** `assertion`: where the assertion is exchanged; it is also the default audience. */
  tokenUrl: urlTemplate.optional(),
  /** `assertion`: the claims, each a template over the parameters (RFC 7519 §4.1). */
  claims: z.strictObject({ iss: z.string().min(1), sub: z.string().optional(), aud: z.string().optional() }).optional(),
  /** `assertion`: the secret parameter holding the PEM private key (or the shared secret for HS256). */
  privateKeyParameter: z.string().default('privateKey'),
  algorithm: templated(z.enum(['RS256', 'ES256', 'HS256'])).default('RS256'),
  /** The `kid` header, so the service finds the public key (Google's `private_key_id`). */
  keyId: z.string().optional(),
  /** How long each assertion is valid; services cap it (Google one hour, GitHub ten minutes). */
  assertionLifetimeSeconds: z.number().int().min(30).max(3600).default(3600),
  scopeSeparator: z.enum([' ', ',']).default(' '),
  /** Always requested, whatever the modules need. */
  baseScopes: z.array(z.string()).default([]),
  /** A list parameter whose scopes are always requested too (the generic app's Scopes). */
  scopesParameter: z.string().optional(),
  /** `scope` in the assertion's claims (Google, DocuSign), in the token request's body, or not at all (Salesforce). */
  scopeIn: z.enum(['claims', 'body', 'none']).default('claims'),
  /** Where a person gives the one-time consent a refusal asks for (DocuSign's `consent_required`). */
  consentUrl: urlTemplate.optional(),
  /** `installation`: the install page; Hitch adds `state`, the service comes back with `installation_id` and a `code`. */
  installUrl: urlTemplate.optional(),
  /** `installation`: where the install's `code` becomes a user token (the OAuth 2.0 code exchange). */
  userTokenUrl: urlTemplate.optional(),
  /** `installation`: the installations the user token may use; the returned `installation_id` must be one of them. */
  userInstallationsUrl: urlTemplate.optional(),
  /** `installation`: where the app JWT buys an installation token; `{{installation_id}}` is learned at install. */
  accessTokenUrl: urlTemplate.optional(),
  /** `installation`: where an installation token is revoked at deletion. */
  revokeTokenUrl: urlTemplate.optional(),
  /** Headers sent with the installation calls (GitHub's Accept and API version). */
  apiHeaders: stringMap.default({}),
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
export type JwtKindDefinition = z.infer<typeof jwtKindSchema>;

export const connectionKindSchema = z.discriminatedUnion('type', [
  oauth2KindSchema,
  apiKeyKindSchema,
  basicKindSchema,
  jwtKindSchema,
]);
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
  description: z.string().optional(),
  /** What a scenario using this module needs granted: least privilege comes from here. */
  scopes: z.array(z.string()).default([]),
  inputs: z.array(inputSchema).default([]),
  request: requestSchema.optional(),
  /** Documentation of the endpoint the module calls. */
  docsUrl: z.url().optional(),
});
export type ModuleDefinition = z.infer<typeof moduleSchema>;

const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });

export const appSchema = z
  .strictObject({
    id: z.string().regex(ID, { error: 'must be lower-case letters, digits and dashes, starting with a letter' }),
    name: text,
    category: z.string().default('Other'),
    docsUrl: httpUrl.optional(),
    /** The service's documentation of its authorization (OAuth app registration, API keys). */
    authDocsUrl: httpUrl.optional(),
    /** The service's list of scopes, where each one's meaning is described. */
    scopesDocsUrl: httpUrl.optional(),
    logo: z.string().optional(),
    /** At least one kind; the first is the default. */
    connections: z.array(connectionKindSchema).min(1),
    scopes: z.array(scopeSchema).default([]),
    /** Set when the service cannot limit access: permissions then say "full access" with this link. */
    fullAccess: z.strictObject({ docsUrl: httpUrl, description: z.string().optional() }).optional(),
    modules: z.array(moduleSchema).default([]),
    /** Hosts besides the base URL's that may receive the connection's credentials (e.g. an upload host). */
    hosts: z.array(z.string()).default([]),
  })
  .superRefine((app, ctx) => checkApp(app, (path, message) => ctx.addIssue({ code: 'custom', path, message })));

export type AppDefinition = z.infer<typeof appSchema>;
export type AppInput = z.input<typeof appSchema>;

// --- rules across fields ------------------------------------------------------

type Report = (path: PropertyKey[], message: string) => void;

/** Every string inside a value, with its path: templates may sit anywhere in a request or a map. */
function stringsIn(value: unknown, path: PropertyKey[] = []): Array<{ path: PropertyKey[]; value: string }> {
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
export const URL_FIELDS = [
  'authorizeUrl',
  'tokenUrl',
  'revokeUrl',
  'issuer',
  'baseUrl',
  'consentUrl',
  'installUrl',
  'userTokenUrl',
  'userInstallationsUrl',
  'accessTokenUrl',
  'revokeTokenUrl',
] as const;

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

function checkKind(kind: ConnectionKindDefinition, index: number, report: Report): void {
  const at = (...rest: PropertyKey[]): PropertyKey[] => ['connections', index, ...rest];
  reportDuplicates(
    kind.parameters.map((p) => p.name),
    (name) => report(at('parameters'), `parameter "${name}" is declared twice`),
  );
  kind.parameters.forEach((param, i) => {
    if (param.pattern === undefined) return;
    try {
      new RegExp(param.pattern);
    } catch {
      report(at('parameters', i, 'pattern'), 'is not a valid regular expression');
    }
  });

  const known = new Set(kind.parameters.map((p) => p.name));
  if (kind.type === 'oauth2')
    for (const name of [...kind.keepFromTokenResponse, ...kind.keepFromCallback]) known.add(name);
  // Learned from the callback of an install, and the platform app's slug.
  if (kind.type === 'jwt' && kind.flow === 'installation')
    for (const name of ['installation_id', 'app_slug']) known.add(name);
  for (const { path, value } of stringsIn({ ...kind, parameters: undefined })) {
    for (const name of templateNames(value)) {
      if (!known.has(name)) report(at(...path), `uses {{${name}}}, which is not a declared parameter`);
    }
  }

  for (const field of URL_FIELDS) {
    const value = (kind as Partial<Record<(typeof URL_FIELDS)[number], string>>)[field];
    if (value !== undefined) checkUrlTemplate(kind, field, value, at(field), report);
  }
  if (kind.verify) checkUrlTemplate(kind, 'verify.url', kind.verify.url, at('verify', 'url'), report);

  if (kind.type === 'oauth2' && kind.grantLifetime) {
    const { absoluteDays, idleDays, absoluteWhen } = kind.grantLifetime;
    if (absoluteDays === undefined && idleDays === undefined)
      report(at('grantLifetime'), 'names neither absoluteDays nor idleDays');
    if (absoluteWhen !== undefined && kind.parameters.find((p) => p.name === absoluteWhen)?.type !== 'boolean')
      report(at('grantLifetime', 'absoluteWhen'), `"${absoluteWhen}" is not a declared boolean parameter`);
  }
  if (kind.type === 'oauth2') {
    for (const field of ['authorizeParameters', 'tokenParameters', 'refreshParameters'] as const) {
      const map = kind[field];
      const reserved = typeof map === 'object' ? reservedNameIn(map, kind.scopeParameter) : undefined;
      if (reserved)
        report(at(field, reserved), `"${reserved}" is set by Hitch's OAuth steps and may not be given here`);
    }
  }

  if (kind.type === 'apiKey') {
    kind.keys.forEach((key, i) => {
      const param = kind.parameters.find((p) => p.name === key.parameter);
      if (!param) report(at('keys', i, 'parameter'), `"${key.parameter}" is not a declared parameter`);
      else if (!param.secret)
        report(at('keys', i, 'parameter'), `parameter "${key.parameter}" holds a key, so it must be secret`);
    });
  }
  if (kind.type === 'basic') {
    for (const field of ['usernameParameter', 'passwordParameter'] as const) {
      if (!known.has(kind[field])) report(at(field), `"${kind[field]}" is not a declared parameter`);
    }
  }
  if (kind.type === 'jwt') checkJwtKind(kind, at, report);
  checkFileParameters(kind, at, report);
}

function checkJwtKind(kind: JwtKindDefinition, at: (...rest: PropertyKey[]) => PropertyKey[], report: Report): void {
  const required =
    kind.flow === 'assertion'
      ? (['tokenUrl', 'claims'] as const)
      : (['installUrl', 'userTokenUrl', 'userInstallationsUrl', 'accessTokenUrl'] as const);
  for (const field of required)
    if (kind[field] === undefined) report(at(field), `is required for the ${kind.flow} flow`);
  if (kind.flow === 'assertion') {
    const list = kind.parameters.find((p) => p.name === kind.scopesParameter);
    if (kind.scopesParameter !== undefined && list?.type !== 'list')
      report(at('scopesParameter'), `"${kind.scopesParameter}" is not a declared list parameter`);
    const key = kind.parameters.find((p) => p.name === kind.privateKeyParameter);
    if (!key) report(at('privateKeyParameter'), `"${kind.privateKeyParameter}" is not a declared parameter`);
    else if (!key.secret)
      report(at('privateKeyParameter'), `parameter "${key.name}" holds a key, so it must be secret`);
  }
}

/** A file fills declared parameters, and never one that decides where credentials go: the app says where its tokens come from. */
function checkFileParameters(
  kind: ConnectionKindDefinition,
  at: (...rest: PropertyKey[]) => PropertyKey[],
  report: Report,
): void {
  const destinations = destinationParameters(kind);
  kind.parameters.forEach((param, i) => {
    if (param.type !== 'file') {
      if (param.fills) report(at('parameters', i, 'fills'), 'only a parameter of type "file" fills others');
      return;
    }
    if (param.secret || param.required)
      report(at('parameters', i), 'a file parameter is never sent, so it cannot be secret or required');
    for (const [field, target] of Object.entries(param.fills ?? {})) {
      const filled = kind.parameters.find((p) => p.name === target);
      if (!filled || filled.type === 'file')
        report(at('parameters', i, 'fills', field), `"${target}" is not a parameter the file can fill`);
      else if (destinations.has(target))
        report(at('parameters', i, 'fills', field), `"${target}" decides where credentials go, so no file may fill it`);
    }
  });
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
    reportDuplicates(
      module.inputs.map((i) => i.name),
      (name) => report(['modules', index, 'inputs'], `input "${name}" is declared twice`),
    );
    // A module's request is filled from its own inputs only; the connection's values reach it through the base URL.
    const inputs = new Set(module.inputs.map((i) => i.name));
    for (const { path, value } of stringsIn(module.request)) {
      for (const name of templateNames(value)) {
        if (!inputs.has(name))
          report(['modules', index, 'request', ...path], `uses {{${name}}}, which is not an input of the module`);
      }
    }
  });

  app.connections.forEach((kind, index) => checkKind(kind, index, report));
}
