import { z } from 'zod';

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
const urlTemplate = z.string().refine((v) => /^https?:\/\//.test(v) || /^\{\{/.test(v), { message: 'must be an http(s) URL or start with a {{parameter}}' });
/** A request target: an absolute URL template, or a path relative to the kind's base URL. */
const targetTemplate = z.string().refine((v) => /^https?:\/\//.test(v) || v.startsWith('/') || v.startsWith('{{'), { message: 'must be a URL, a path starting with /, or a {{parameter}}' });
const templated = <T extends z.ZodType>(schema: T) => z.union([schema, z.string().regex(/^\{\{\s*[A-Za-z_][A-Za-z0-9_]*\s*\}\}$/)]);
const stringMap = z.record(z.string(), z.string());

export const parameterSchema = z.strictObject({
  name: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { message: 'must be a letter or _ followed by letters, digits or _' }),
  label: text,
  type: z.enum(['text', 'url', 'password', 'select', 'boolean', 'map', 'list']).default('text'),
  help: z.string().optional(),
  required: z.boolean().default(false),
  /** Write-only: stored in the vault, never returned. */
  secret: z.boolean().default(false),
  /** Shown under "Show advanced settings". */
  advanced: z.boolean().default(false),
  /** May change after creation through PATCH (non-secret only). */
  editable: z.boolean().default(false),
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
});
export type VerifyDefinition = z.infer<typeof verifySchema>;

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
  placement: placementSchema.default({ in: 'header', headerName: 'Authorization', headerPrefix: 'Bearer', queryName: 'access_token' }),
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

export const connectionKindSchema = z.discriminatedUnion('type', [oauth2KindSchema, apiKeyKindSchema, basicKindSchema]);
export type ConnectionKindDefinition = z.infer<typeof connectionKindSchema>;
export type AuthKind = ConnectionKindDefinition['type'];

export const scopeSchema = z.strictObject({ name: text, description: text });

/** A field a person fills in a module (or maps from an earlier module's output). */
export const inputSchema = z.strictObject({
  name: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/),
  label: text,
  type: z.enum(['text', 'textarea', 'number', 'boolean', 'select', 'json', 'list', 'map']).default('text'),
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

export const appSchema = z
  .strictObject({
    id: z.string().regex(ID, { message: 'must be lower-case letters, digits and dashes, starting with a letter' }),
    name: text,
    category: z.string().default('Other'),
    docsUrl: z.url().optional(),
    logo: z.string().optional(),
    /** At least one kind; the first is the default. */
    connections: z.array(connectionKindSchema).min(1),
    scopes: z.array(scopeSchema).default([]),
    /** Set when the service cannot limit access: permissions then say "full access" with this link. */
    fullAccess: z.strictObject({ docsUrl: z.url(), description: z.string().optional() }).optional(),
    modules: z.array(moduleSchema).default([]),
    /** Hosts besides the base URL's that may receive the connection's credentials (e.g. an upload host). */
    hosts: z.array(z.string()).default([]),
  })
  .superRefine((app, ctx) => {
    const declared = new Set(app.scopes.map((s) => s.name));
    app.modules.forEach((module, index) => {
      for (const scope of module.scopes) {
        if (!declared.has(scope)) ctx.addIssue({ code: 'custom', path: ['modules', index, 'scopes'], message: `scope "${scope}" is not declared in the app's scopes` });
      }
    });
    app.connections.forEach((kind, index) => {
      const names = new Set(kind.parameters.map((p) => p.name));
      const learned = new Set(kind.type === 'oauth2' ? [...kind.keepFromTokenResponse, ...kind.keepFromCallback] : []);
      for (const [field, value] of Object.entries(kind)) {
        const strings = typeof value === 'string' ? [value] : value && typeof value === 'object' && !Array.isArray(value) ? Object.values(value).filter((v): v is string => typeof v === 'string') : [];
        for (const s of strings) {
          for (const name of templateNames(s)) {
            if (!names.has(name) && !learned.has(name)) ctx.addIssue({ code: 'custom', path: ['connections', index, field], message: `uses {{${name}}}, which is not a declared parameter` });
          }
        }
      }
    });
  });

export type AppDefinition = z.infer<typeof appSchema>;
export type AppInput = z.input<typeof appSchema>;
