import { z } from 'zod';
import { EXPIRY_UNITS } from '../auth/oauth2/token-expiry.ts';
import { inputValueProblem } from './input-value.ts';
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
/** A string that is one `{{parameter}}` and nothing else: the parameter's value itself takes its place. */
const wholeTemplate = z.string().regex(/^\{\{\s*[A-Za-z_][A-Za-z0-9_]*\s*\}\}$/);
const templated = <T extends z.ZodType>(schema: T) => z.union([schema, wholeTemplate]);
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
 * When an answer means the credentials lapsed though the service does not say so with a 401:
 * some answer 403, some put an error code inside a 200 (`{"error":{"code":"TOKEN_EXPIRED"}}`).
 * A match renews a renewable connection once and retries once; other kinds pass the answer on.
 */
export const expiredWhenSchema = z.strictObject({
  /** Statuses that mean "expired"; they replace the default 401, so list 401 too when the service uses both. */
  status: templated(z.array(z.number().int().min(100).max(599))).default([401]),
  /** A dot path into a JSON answer (any status) whose value, when it is one of `bodyValues`, means "expired". */
  bodyPath: z.string().optional(),
  bodyValues: templated(z.array(z.string())).default([]),
});
export type ExpiredWhenDefinition = z.infer<typeof expiredWhenSchema>;

/**
 * A request made right after the code exchange, with the new token, whose answer supplies values
 * the connection's templates use — so the person need not type them. Atlassian's 3LO apps call one
 * site, named by its cloud id, which `GET https://api.atlassian.com/oauth/token/accessible-resources`
 * lists as `id` for every site the token may use
 * (https://developer.atlassian.com/cloud/oauth/getting-started/making-calls-to-api/). One entry is
 * taken at once; several are offered to the person to pick from before the connection is saved;
 * none is an error. A connection that already has the values (a parameter the person gave, or one
 * learned before) is not looked up again.
 */
export const lookupSchema = z.strictObject({
  method: z.enum(['GET', 'POST']).default('GET'),
  /** An absolute URL: the values it finds may not be needed to reach it. */
  url: z.string().regex(/^https?:\/\//, { error: 'must be an absolute http(s) URL' }),
  headers: stringMap.optional(),
  /** Dot path of the list in the JSON answer; empty when the answer is the list itself. */
  list: z.string().default(''),
  /** The values each entry supplies: a name the templates use, and the dot path of its value in the entry. */
  values: z
    .record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), z.string().min(1))
    .refine((v) => Object.keys(v).length > 0, { error: 'needs at least one value' }),
  /** Dot paths in an entry that name it for the person, joined with " · " (a site's name and address). */
  label: z.array(z.string().min(1)).min(1),
  /** The question on the page where the person picks one. */
  prompt: z.string().default('Choose which one this connection uses.'),
});
export type LookupDefinition = z.infer<typeof lookupSchema>;

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

/**
 * A dated rule for connections made while the service still gave tokens that never expire, when it
 * has said it will stop accepting them: Shopify refuses public apps' non-expiring offline tokens
 * from 2027-01-01 and documents a token exchange that swaps one for an expiring token with a
 * refresh token (https://shopify.dev/docs/apps/build/authentication-authorization/migrate-to-expiring-offline-access-tokens);
 * Zendesk requires expiring tokens by 2027-04-01 and cannot refresh the tokens it gave before
 * (https://support.zendesk.com/hc/en-us/articles/10212201463962). A connection of this kind with no
 * expiry is moved over by `exchange` when the app gives one; otherwise (or when the exchange is
 * refused) its renewBy becomes `endsOn` and people are told to reauthorize. A future rule change is
 * an edit of this field. Working connections keep working: nothing here touches their tokens
 * unless the exchange succeeds.
 */
export const nonExpiringTokensSchema = z.strictObject({
  /** `YYYY-MM-DD`: the first day the service refuses tokens that never expire. */
  endsOn: z.iso.date({ error: 'must be a date written YYYY-MM-DD' }),
  docsUrl: z.url({ protocol: /^https$/, error: 'must be an https URL of the service’s documentation' }),
  /** The service's token exchange (RFC 8693) from a non-expiring token to an expiring one, at `tokenUrl`. */
  exchange: z
    .strictObject({
      subjectTokenType: z.string().min(1),
      requestedTokenType: z.string().min(1).optional(),
      /** Other body parameters the exchange needs (Shopify's `expiring: "1"`). */
      parameters: stringMap.default({}),
    })
    .optional(),
});
export type NonExpiringTokensDefinition = z.infer<typeof nonExpiringTokensSchema>;

/** One GET with the token in its query, as Meta documents its long-lived-token endpoints. */
const tokenGetRequestSchema = z.strictObject({
  method: z.literal('GET'),
  url: urlTemplate,
  /** The `grant_type` the endpoint names (`ig_exchange_token`, `ig_refresh_token`, `fb_exchange_token`). */
  grantType: z.string().regex(/^[A-Za-z_]+$/),
  /** The query parameter carrying the token: `access_token`, or Facebook Login's `fb_exchange_token`. */
  tokenParameter: z
    .string()
    .regex(/^[A-Za-z_]+$/)
    .default('access_token'),
  /** Whether the query carries the client ID as `client_id` (Facebook Login's exchange does). */
  clientId: z.boolean().default(false),
  /** Whether the query carries the client secret as `client_secret`: the exchanges do, Instagram's refresh does not. */
  clientSecret: z.boolean().default(false),
});

/**
 * Long-lived tokens in place of refresh tokens. Instagram API with Instagram Login gives a token
 * for one hour for the code; `exchange` trades it at once (`GET graph.instagram.com/access_token`,
 * `grant_type=ig_exchange_token` with the client secret) for one of 60 days
 * (https://developers.facebook.com/documentation/instagram-platform/reference/access_token), and
 * `refresh` later trades that token itself, there being no refresh token, for another 60 days
 * (`GET graph.instagram.com/refresh_access_token`, `grant_type=ig_refresh_token`; at least 24 hours
 * old: https://developers.facebook.com/documentation/instagram-platform/reference/refresh_access_token).
 * Threads documents the same pair at graph.threads.net (`th_exchange_token`, `th_refresh_token`).
 * With `refresh`, the connection is renewed ahead of the long-lived token's end, like one with a
 * refresh token. Facebook Login has the exchange only (`fb_exchange_token` with the client ID and
 * secret: https://developers.facebook.com/documentation/facebook-login/guides/access-tokens/get-long-lived):
 * its connections last about 60 days instead of hours, then the person reconnects.
 */
export const longLivedTokenSchema = z.strictObject({
  exchange: tokenGetRequestSchema,
  refresh: tokenGetRequestSchema.optional(),
});
export type LongLivedTokenDefinition = z.infer<typeof longLivedTokenSchema>;

export const oauth2KindSchema = z.strictObject({
  type: z.literal('oauth2'),
  notes,
  /** `authorization_code` (a person consents in the browser) or `client_credentials` (no browser; renewal re-runs the grant). */
  flow: templated(z.enum(['authorization_code', 'client_credentials'])).default('authorization_code'),
  authorizeUrl: urlTemplate,
  tokenUrl: urlTemplate,
  /**
   * Where refresh tokens are spent, when not at `tokenUrl`: Figma exchanges codes at
   * `https://api.figma.com/v1/oauth/token` and refreshes at `https://api.figma.com/v1/oauth/refresh`
   * (https://developers.figma.com/docs/rest-api/authentication/). Default: `tokenUrl`.
   */
  refreshUrl: urlTemplate.optional(),
  /**
   * Token URLs the service used before `tokenUrl`, whose refresh tokens the current endpoint
   * still accepts: a refresh token goes only to the endpoint that issued it, unless the app names
   * that endpoint here. HubSpot moved from `/oauth/v3/token` to the date-versioned
   * `/oauth/2026-03/token` (https://developers.hubspot.com/docs/api-reference/legacy/authentication/oauth-tokens/v1/migration-guide),
   * so existing connections refresh at the new one and are bound to it from then on.
   */
  formerTokenUrls: z.array(urlTemplate).default([]),
  revokeUrl: urlTemplate.optional(),
  /** The authorization server's issuer: enables OpenID discovery and the RFC 9207 `iss` check. */
  issuer: urlTemplate.optional(),
  /** `' '` (RFC 6749), `','` (Slack, Zoho) or `'+'` (Unsplash's "+-separated list": https://unsplash.com/documentation/user-authentication-workflow). */
  scopeSeparator: templated(z.enum([' ', ',', '+'])).default(' '),
  /**
   * The callback parameter that carries the authorization code, when it is not `code`:
   * Amazon's Selling Partner API sends `spapi_oauth_code`
   * (https://developer-docs.amazon.com/sp-api/docs/website-authorization-workflow).
   */
  codeParameter: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_.-]*$/)
    .default('code'),
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
  /**
   * How token, refresh and revocation requests carry their parameters: `form` (RFC 6749, RFC 7009)
   * or `json`, one JSON object with the same members, for endpoints documented with a JSON body
   * (Atlassian's https://developer.atlassian.com/cloud/jira/platform/oauth-2-3lo-apps/, Notion's
   * https://developers.notion.com/docs/authorization).
   */
  tokenRequestBody: z.enum(['form', 'json']).default('form'),
  /** Where the token set sits when not at the top of the response (Slack's `authed_user`). */
  tokenPath: z.string().optional(),
  /** Lifetime to assume when the service sends no `expires_in`; absent means the token does not expire. */
  defaultExpiresInSeconds: z.number().int().positive().optional(),
  /**
   * Where the token answer says when the access token ends, and in what unit, when it is not
   * RFC 6749's `expires_in` in seconds: Strava sends `expires_at` in Unix seconds
   * (https://developers.strava.com/docs/authentication/) — `{ member: 'expires_at', unit: 'unix_seconds' }`.
   * Relative units (`seconds`, `milliseconds`, `minutes`) count from the answer; `unix_seconds`,
   * `unix_milliseconds` and `iso8601` name the moment. When the member is absent, `expires_in` in
   * seconds is read as usual (unless the member is `expires_in` itself), then `defaultExpiresInSeconds`.
   */
  tokenExpiry: z
    .strictObject({
      member: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/),
      unit: z.enum(EXPIRY_UNITS),
    })
    .default({ member: 'expires_in', unit: 'seconds' }),
  /** See longLivedTokenSchema: Instagram's and Threads' long-lived tokens, renewed without a refresh token. */
  longLivedToken: longLivedTokenSchema.optional(),
  /** Values to keep from the token response as connection data (Salesforce's `instance_url`). */
  keepFromTokenResponse: z.array(z.string()).default([]),
  /** Values to keep from the callback's query string (QuickBooks' `realmId`). */
  keepFromCallback: z.array(z.string()).default([]),
  /** See lookupSchema: Atlassian's cloud id from accessible-resources. */
  lookup: lookupSchema.optional(),
  /** How long the service lets the grant (its refresh token) live, as it documents: the renewal forecast reads it. */
  grantLifetime: grantLifetimeSchema.optional(),
  /** See nonExpiringTokensSchema: Shopify's and Zendesk's end of tokens that never expire. */
  nonExpiringTokens: nonExpiringTokensSchema.optional(),
  placement: placementSchema.default({
    in: 'header',
    headerName: 'Authorization',
    headerPrefix: 'Bearer',
    queryName: 'access_token',
  }),
  baseUrl: urlTemplate,
  verify: verifySchema.optional(),
  expiredWhen: expiredWhenSchema.optional(),
  parameters: z.array(parameterSchema).default([]),
});
export type OAuth2KindDefinition = z.infer<typeof oauth2KindSchema>;

/** One secret value placed on every request: Trello sends a key and a token, two of these. */
export const apiKeyPlacementSchema = z.strictObject({
  /** The secret parameter holding the value. */
  parameter: z.string(),
  in: templated(z.enum(['header', 'query', 'path'])).default('header'),
  /**
   * Header or query parameter name; may be a template for the generic app. For `in: 'path'`, what
   * every request's path starts with, ending in the parameter: Telegram's `/bot{{token}}`
   * (https://core.telegram.org/bots/api#making-requests). The injector puts it on each request to the
   * connection's own origin, so the token is never part of a URL Hitch records, logs or follows elsewhere.
   */
  name: z.string().min(1),
  /** Put before the value, e.g. `Bearer` (joined with a space) — empty for none. */
  prefix: z.string().default(''),
  /**
   * What joins the prefix to the value: a space, as `Bearer <key>`; or nothing, for services that
   * glue the key to its prefix: Freshsales' and Teamtailor's `Authorization: Token token=<key>`
   * (https://developers.freshworks.com/crm/api/#authentication, https://docs.teamtailor.com/#authentication).
   */
  prefixSeparator: z.enum([' ', '']).default(' '),
});

export const apiKeyKindSchema = z.strictObject({
  type: z.literal('apiKey'),
  notes,
  keys: z.array(apiKeyPlacementSchema).min(1),
  /** A parameter holding the date the key stops working (Axelor's keys expire): kept as the connection's renewBy. */
  expiresAtParameter: z.string().optional(),
  baseUrl: urlTemplate,
  verify: verifySchema.optional(),
  expiredWhen: expiredWhenSchema.optional(),
  parameters: z.array(parameterSchema).default([]),
});
export type ApiKeyKindDefinition = z.infer<typeof apiKeyKindSchema>;

export const basicKindSchema = z.strictObject({
  type: z.literal('basic'),
  notes,
  /**
   * The parameters holding each half. `null` when the service wants that half empty (RFC 7617
   * allows an empty user-id or password): the API key as user name and no password (Chargebee,
   * EasyPost, Recurly, Close), or no user name and the key as password (lemlist).
   */
  usernameParameter: z.string().nullable().default('username'),
  passwordParameter: z.string().nullable().default('password'),
  baseUrl: urlTemplate,
  verify: verifySchema.optional(),
  expiredWhen: expiredWhenSchema.optional(),
  parameters: z.array(parameterSchema).default([]),
});
export type BasicKindDefinition = z.infer<typeof basicKindSchema>;

/** RFC 5849 §3.4's signature methods, and HMAC-SHA256 beside them. */
export const OAUTH1_SIGNATURE_METHODS = ['HMAC-SHA1', 'HMAC-SHA256', 'RSA-SHA1', 'PLAINTEXT'] as const;

/**
 * OAuth 1.0a (RFC 5849): a request token, the person's consent, an access token;
 * every request signed. The consumer key and secret are the connection's
 * parameters when given, else the platform's client (HITCH_APP_<ID>_CLIENT_ID and
 * _CLIENT_SECRET); RSA-SHA1 signs with the private key parameter instead of the secret.
 */
export const oauth1KindSchema = z.strictObject({
  type: z.literal('oauth1'),
  notes,
  /** §2.1: the Temporary Credential Request endpoint. */
  requestTokenUrl: urlTemplate,
  /** §2.2: the Resource Owner Authorization endpoint. */
  authorizeUrl: urlTemplate,
  /** §2.3: the Token Request endpoint. */
  accessTokenUrl: urlTemplate,
  /** The RFC's POST, unless the service says otherwise (Tumblr's access-token endpoint takes GET). */
  requestTokenMethod: z.enum(['POST', 'GET']).default('POST'),
  accessTokenMethod: z.enum(['POST', 'GET']).default('POST'),
  signatureMethod: templated(z.enum(OAUTH1_SIGNATURE_METHODS)).default('HMAC-SHA1'),
  consumerKeyParameter: z.string().default('consumerKey'),
  consumerSecretParameter: z.string().default('consumerSecret'),
  privateKeyParameter: z.string().default('privateKey'),
  /** The Authorization header's `realm` (§3.5.1), for services that want one. */
  realm: z.string().optional(),
  /** Added to the authorize URL (Trello's `scope`, `expiration`, `name`). */
  authorizeParameters: z.union([stringMap, z.string()]).default({}),
  /** Values to keep from the access-token answer as connection data (X's `user_id`). */
  keepFromTokenResponse: z.array(z.string()).default([]),
  baseUrl: urlTemplate,
  verify: verifySchema.optional(),
  /** Tokens do not expire and cannot be renewed: a match marks the connection lost, as a 401 does. */
  expiredWhen: expiredWhenSchema.optional(),
  parameters: z.array(parameterSchema).default([]),
});
export type OAuth1KindDefinition = z.infer<typeof oauth1KindSchema>;

// --- session login -------------------------------------------------------------

/**
 * One value a login answer yields and how every call carries it: Axelor's session
 * cookie goes back as a cookie; a CSRF token read from a cookie may go in a header
 * (list the same source twice to send it both ways).
 */
export const sessionValueSchema = z.strictObject({
  /** Where the answer carries it: a `Set-Cookie` of this name, a response header, or a dot path into the JSON body. */
  from: z.enum(['cookie', 'header', 'json']),
  /** The cookie's or header's name, or the dot path (`data.token`). */
  name: z.string().min(1),
  /** How calls carry it: in the Cookie header, or in a header of its own. */
  in: z.enum(['cookie', 'header']).default('cookie'),
  /** The cookie or header name on calls; the cookie's own name when it came as one. */
  as: z.string().optional(),
  /** Put before the value in a header, e.g. `Bearer` (joined with a space). */
  prefix: z.string().default(''),
});
export type SessionValueDefinition = z.infer<typeof sessionValueSchema>;

/**
 * A connection whose user name and password (or key) are exchanged by a login
 * request for a session (a cookie, a token), renewed by logging in again before
 * it lapses and once after the service says it expired.
 */
export const sessionKindSchema = z.strictObject({
  type: z.literal('session'),
  notes,
  /** The login request; it carries the password, so it follows no redirect. */
  loginUrl: urlTemplate,
  loginMethod: templated(z.enum(['POST', 'PUT'])).default('POST'),
  loginContentType: templated(z.enum(['json', 'form'])).default('json'),
  /**
   * The body as data (`{"username": "{{username}}"}`), or as text in the content type; `{{name}}`
   * templates fill its values with the parameters, escaped for the content type.
   */
  loginBody: z.union([z.record(z.string(), z.unknown()), z.string()]),
  loginHeaders: stringMap.default({}),
  /** The values the answer yields; the generic app gives them as two lists of text (`cookie:JSESSIONID`, `header:X-Auth`). */
  session: z.union([
    z.array(sessionValueSchema).min(1),
    z.strictObject({ from: wholeTemplate, placement: wholeTemplate }),
  ]),
  /** A dot path into the login answer: the session's lifetime in seconds, or its end as a date. */
  lifetimePath: z.string().optional(),
  /** The lifetime when the answer gives none (no path, no cookie Max-Age or Expires); absent: until refused. */
  lifetimeSeconds: templated(z.number().int().positive()).optional(),
  /** Called with the session when the connection is deleted (best effort). */
  logoutUrl: urlTemplate.optional(),
  baseUrl: urlTemplate,
  verify: verifySchema.optional(),
  expiredWhen: expiredWhenSchema.optional(),
  parameters: z.array(parameterSchema).default([]),
});
export type SessionKindDefinition = z.infer<typeof sessionKindSchema>;
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
  notes,
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
  /** Answers that mean the token lapsed besides a 401; a match signs a new assertion once. */
  expiredWhen: expiredWhenSchema.optional(),
  parameters: z.array(parameterSchema).default([]),
});
export type JwtKindDefinition = z.infer<typeof jwtKindSchema>;

export const connectionKindSchema = z.discriminatedUnion('type', [
  oauth2KindSchema,
  apiKeyKindSchema,
  basicKindSchema,
  oauth1KindSchema,
  sessionKindSchema,
  jwtKindSchema,
]);
/** A kind with its rules across fields, checked even when another part of the app is wrong. */
const checkedKindSchema = connectionKindSchema.superRefine((kind, ctx) =>
  checkKind(kind, (path, message) => ctx.addIssue({ code: 'custom', path, message })),
);
export type ConnectionKindDefinition = z.infer<typeof connectionKindSchema>;
export type AuthKind = ConnectionKindDefinition['type'];

export const scopeSchema = z.strictObject({ name: text, description: text });

/** What a module's input holds, which decides how the web app shows it. */
export const INPUT_TYPES = ['text', 'textarea', 'number', 'boolean', 'select', 'json', 'list', 'map'] as const;

/**
 * A field a person fills in a module (or maps from an earlier module's output).
 * Its `type` is kept when the module's request is rendered: a `number` becomes a
 * JSON number, a `boolean` a boolean, a `select` the value of its option (Linear's
 * priority is a GraphQL `Int`, so its options are numbers). Values arriving as text
 * (a mapping, a scenario saved before inputs were typed) are converted to the type.
 */
export const inputSchema = z.strictObject({
  name: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/),
  label: text,
  type: z.enum(INPUT_TYPES).default('text'),
  required: z.boolean().default(false),
  /**
   * An empty text is sent as "" instead of leaving the field out: Dropbox's
   * list-folder names the root folder `path: ""`.
   */
  allowEmpty: z.boolean().optional(),
  help: z.string().optional(),
  default: z.unknown().optional(),
  /** A value a person might give, of the input's type: the catalog test renders every module from these. */
  example: z.unknown().optional(),
  options: z.array(z.strictObject({ value: z.union([z.string(), z.number(), z.boolean()]), label: text })).optional(),
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

/**
 * The API version an app's requests are written for, and the day someone last chose it after
 * reading the service's changelog: `{{apiVersion}}` in the app's `headers`, in its kinds'
 * templates (a base URL such as `/services/data/v{{apiVersion}}`) and in its modules' requests
 * (Shopify's `/admin/api/{{apiVersion}}/graphql.json`), written out when the app loads.
 */
export const apiVersionSchema = z.strictObject({
  value: text,
  /** `YYYY-MM-DD`: when the value was chosen or last reviewed, so stale versions can be listed. */
  chosenAt: z.iso.date({ error: 'must be a date written YYYY-MM-DD' }),
});

/**
 * How the service says "wait, then try again", read by modules (catalog modules, Make an API call,
 * the HTTP app's requests), which wait and retry a bounded number of times. The proxy never waits:
 * it passes the answer and its headers back unchanged, for the caller to decide. The default is
 * HTTP's own: 429 with `Retry-After` in seconds or as a date (RFC 9110 §10.2.3, RFC 6585 §4). GitHub
 * also answers 403 with `x-ratelimit-reset` in Unix seconds
 * (https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api).
 */
export const rateLimitSchema = z.strictObject({
  /** Statuses that mean "wait": a 403 counts only with a wait hint (it is also the ordinary "forbidden"). */
  statuses: z.array(z.number().int().min(400).max(599)).default([429]),
  /** Headers that say how long to wait: seconds, or an HTTP date. */
  retryAfterHeaders: z.array(z.string().regex(/^[A-Za-z0-9-]+$/)).default(['retry-after']),
  /** Headers that say when the limit resets, and how they write it. */
  resetHeaders: z
    .array(
      z.strictObject({
        name: z.string().regex(/^[A-Za-z0-9-]+$/),
        unit: z.enum(['unix_seconds', 'unix_milliseconds', 'seconds']),
      }),
    )
    .default([]),
  /** Retries after the first answer; 0 never retries. */
  maxRetries: z.number().int().min(0).max(5).default(2),
  /** A wait longer than this is not waited: the module fails with the service's answer. */
  maxWaitSeconds: z.number().int().positive().max(300).default(60),
});
export type RateLimitDefinition = z.infer<typeof rateLimitSchema>;
/** What every app without its own `rateLimit` gets. */
export const DEFAULT_RATE_LIMIT: RateLimitDefinition = rateLimitSchema.parse({});

/** Header names a static header may not take: credentials come from the connection, never from the app file. */
const CREDENTIAL_HEADER_NAMES = new Set(['authorization', 'proxy-authorization', 'cookie', 'host']);
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

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
    /**
     * `YYYY-MM-DD`: the day someone last checked this file's facts against the service's current
     * documentation; `apps check --stale` lists files not reviewed for six months.
     */
    reviewedAt: z.iso.date({ error: 'must be a date written YYYY-MM-DD' }).optional(),
    notes,
    /** At least one kind; the first is the default. */
    connections: z.array(checkedKindSchema).min(1),
    scopes: z.array(scopeSchema).default([]),
    /** Set when the service cannot limit access: permissions then say "full access" with this link. */
    fullAccess: z.strictObject({ docsUrl: httpUrl, description: z.string().optional() }).optional(),
    modules: z.array(checkedModuleSchema).default([]),
    /** Hosts besides the base URL's that may receive the connection's credentials (e.g. an upload host). */
    hosts: z.array(z.string()).default([]),
    /** See apiVersionSchema: Notion's `Notion-Version`, Anthropic's `anthropic-version`, Salesforce's `v62.0`. */
    apiVersion: apiVersionSchema.optional(),
    /**
     * Headers sent on every request through the app's connections — its modules, Make an API call,
     * the proxy and the verify request — but not to token endpoints: API version headers such as
     * Notion's `Notion-Version` (https://developers.notion.com/reference/versioning) and Anthropic's
     * `anthropic-version` (https://docs.anthropic.com/en/api/versioning), written `{{apiVersion}}`.
     * A caller's header of the same name replaces one of these (a module pinned to another version).
     */
    headers: stringMap.default({}),
    /** See rateLimitSchema; default 429 with Retry-After, two retries, at most 60 seconds' wait. */
    rateLimit: rateLimitSchema.default(DEFAULT_RATE_LIMIT),
  })
  .superRefine((app, ctx) => checkApp(app, (path, message) => ctx.addIssue({ code: 'custom', path, message })));

/** An app as the catalog holds it: checked, its preset merged in (so no `extends`), no `$schema`. */
export type AppDefinition = Omit<z.infer<typeof appSchema>, '$schema' | 'extends'>;
export type AppInput = z.input<typeof appSchema>;

/** The path before the value, for a key placed `in: 'path'` (`/bot` of `/bot{{token}}`); undefined when not written so. */
export function pathPlacementOf(name: string, parameter: string): string | undefined {
  const match = /^(\/[A-Za-z0-9._~!$&'()*+,;=:@/-]*)\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}$/.exec(name);
  return match && match[2] === parameter ? match[1] : undefined;
}

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
export const URL_FIELDS = [
  'authorizeUrl',
  'tokenUrl',
  'refreshUrl',
  'revokeUrl',
  'issuer',
  'baseUrl',
  'requestTokenUrl',
  'accessTokenUrl',
  'loginUrl',
  'logoutUrl',
  'consentUrl',
  'installUrl',
  'userTokenUrl',
  'userInstallationsUrl',
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

/** A kind's own rules; its paths are the kind's, and what depends on the app (its apiVersion) is checkApp's. */
function checkKind(kind: ConnectionKindDefinition, report: Report): void {
  const at = (...rest: PropertyKey[]): PropertyKey[] => rest;
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
  // Filled from the app's apiVersion; checkApp says when the app declares none.
  known.add('apiVersion');
  if (kind.type === 'oauth2') {
    for (const name of [...kind.keepFromTokenResponse, ...kind.keepFromCallback]) known.add(name);
    const found = Object.keys(kind.lookup?.values ?? {});
    for (const name of templateNames(kind.lookup?.url ?? ''))
      if (found.includes(name)) report(at('lookup', 'url'), `uses {{${name}}}, which this lookup is what finds`);
    for (const name of found) known.add(name);
  }
  if (kind.type === 'oauth1') for (const name of kind.keepFromTokenResponse) known.add(name);
  // Learned from the callback of an install, and the platform app's slug.
  if (kind.type === 'jwt' && kind.flow === 'installation')
    for (const name of ['installation_id', 'app_slug']) known.add(name);
  for (const { path, value } of stringsIn({ ...kind, parameters: undefined, notes: undefined })) {
    for (const name of templateNames(value)) {
      if (!known.has(name)) report(at(...path), `uses {{${name}}}, which is not a declared parameter`);
    }
  }

  for (const field of URL_FIELDS) {
    const value = (kind as Partial<Record<(typeof URL_FIELDS)[number], string>>)[field];
    if (value !== undefined) checkUrlTemplate(kind, field, value, at(field), report);
  }
  if (kind.verify) checkUrlTemplate(kind, 'verify.url', kind.verify.url, at('verify', 'url'), report);
  if (kind.type === 'oauth2')
    kind.formerTokenUrls.forEach((url, i) =>
      checkUrlTemplate(kind, 'formerTokenUrls', url, at('formerTokenUrls', i), report),
    );
  if (kind.type === 'oauth2' && kind.longLivedToken)
    for (const step of ['exchange', 'refresh'] as const) {
      const request = kind.longLivedToken[step];
      if (request)
        checkUrlTemplate(kind, `longLivedToken.${step}.url`, request.url, at('longLivedToken', step, 'url'), report);
    }

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
    const exchange = kind.nonExpiringTokens?.exchange;
    const taken = exchange
      ? (reservedNameIn(exchange.parameters) ??
        Object.keys(exchange.parameters).find((name) => /^(subject|requested)_token(_type)?$/i.test(name)))
      : undefined;
    if (taken)
      report(
        at('nonExpiringTokens', 'exchange', 'parameters', taken),
        `"${taken}" is set by Hitch's token exchange and may not be given here`,
      );
  }

  if (kind.type === 'apiKey') {
    kind.keys.forEach((key, i) => {
      if (key.in === 'path' && !pathPlacementOf(key.name, key.parameter))
        report(
          at('keys', i, 'name'),
          `a key in the path is written as the path before it, ending in {{${key.parameter}}}, such as /bot{{${key.parameter}}}`,
        );
      const param = kind.parameters.find((p) => p.name === key.parameter);
      if (!param) report(at('keys', i, 'parameter'), `"${key.parameter}" is not a declared parameter`);
      else if (!param.secret)
        report(at('keys', i, 'parameter'), `parameter "${key.parameter}" holds a key, so it must be secret`);
    });
  }
  if (kind.type === 'oauth1') {
    for (const field of ['consumerSecretParameter', 'privateKeyParameter'] as const) {
      const param = kind.parameters.find((p) => p.name === kind[field]);
      if (param && !param.secret)
        report(at('parameters'), `parameter "${param.name}" holds a secret, so it must be secret`);
    }
    const reserved = typeof kind.authorizeParameters === 'object' && 'oauth_token' in kind.authorizeParameters;
    if (reserved)
      report(at('authorizeParameters', 'oauth_token'), '"oauth_token" is set by Hitch and may not be given here');
  }
  if (kind.type === 'basic') {
    for (const field of ['usernameParameter', 'passwordParameter'] as const) {
      const name = kind[field];
      if (name !== null && !known.has(name)) report(at(field), `"${name}" is not a declared parameter`);
    }
    if (kind.usernameParameter === null && kind.passwordParameter === null)
      report(at('passwordParameter'), 'a Basic login needs a user name or a password: name at least one parameter');
  }
  if (kind.type === 'apiKey' && kind.expiresAtParameter !== undefined && !known.has(kind.expiresAtParameter))
    report(at('expiresAtParameter'), `"${kind.expiresAtParameter}" is not a declared parameter`);
  if (kind.type === 'session') checkSessionKind(kind, at, report);
  if (kind.expiredWhen) checkExpiredWhen(kind.expiredWhen, at, report);
  if (kind.type === 'jwt') checkJwtKind(kind, at, report);
  checkFileParameters(kind, at, report);
}

function checkSessionKind(kind: SessionKindDefinition, at: (...rest: PropertyKey[]) => PropertyKey[], report: Report) {
  if (typeof kind.loginBody === 'string' && !wholeTemplate.safeParse(kind.loginBody).success) {
    const contentType = kind.loginContentType;
    if (contentType === 'json' && !isJsonText(kind.loginBody))
      report(at('loginBody'), 'is not JSON: write the body as data, or as JSON text with {{parameter}} templates');
  }
  if (!Array.isArray(kind.session)) return;
  kind.session.forEach((value, i) => {
    if (value.in === 'header' && !value.as) report(at('session', i, 'as'), 'names the header the value goes in');
    if (value.in === 'cookie' && value.from !== 'cookie' && !value.as)
      report(at('session', i, 'as'), 'names the cookie the value goes in');
  });
}

function checkExpiredWhen(
  rule: ExpiredWhenDefinition,
  at: (...rest: PropertyKey[]) => PropertyKey[],
  report: Report,
): void {
  const values = Array.isArray(rule.bodyValues) ? rule.bodyValues.length : 1;
  if (rule.bodyPath !== undefined && values === 0)
    report(at('expiredWhen', 'bodyValues'), 'lists the values at bodyPath that mean "expired"');
  if (rule.bodyPath === undefined && values > 0)
    report(at('expiredWhen', 'bodyPath'), 'says where in the answer to look for bodyValues');
}

function isJsonText(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
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
  });

  for (const [name, value] of Object.entries(app.headers)) {
    if (!HEADER_NAME.test(name)) report(['headers', name], 'is not a header name');
    else if (CREDENTIAL_HEADER_NAMES.has(name.toLowerCase()))
      report(['headers', name], 'carries credentials or routing, which come from the connection, not the app');
    for (const used of templateNames(value)) {
      if (used !== 'apiVersion' || !app.apiVersion)
        report(['headers', name], `uses {{${used}}}: headers may use only {{apiVersion}}, with apiVersion declared`);
    }
  }

  app.modules.forEach((module, index) => {
    const usesVersion = stringsIn(module.request).some(({ value }) => templateNames(value).includes('apiVersion'));
    const input = module.inputs.findIndex((i) => i.name === 'apiVersion');
    if (usesVersion && input !== -1)
      report(['modules', index, 'inputs', input], 'an input may not be named "apiVersion": it is the app’s version');
    else if (usesVersion && !app.apiVersion)
      report(['modules', index, 'request'], 'uses {{apiVersion}}: declare the app’s apiVersion');
  });

  app.connections.forEach((kind, index) => {
    const usesVersion = stringsIn({ ...kind, parameters: undefined, notes: undefined }).some(({ value }) =>
      templateNames(value).includes('apiVersion'),
    );
    if (app.apiVersion && kind.parameters.some((p) => p.name === 'apiVersion'))
      report(['connections', index, 'parameters'], 'a parameter may not be named "apiVersion": the app declares one');
    else if (!app.apiVersion && usesVersion && !kind.parameters.some((p) => p.name === 'apiVersion'))
      report(
        ['connections', index],
        'uses {{apiVersion}}, which is not a declared parameter: declare the app’s apiVersion',
      );
  });
}

function checkModule(module: ModuleDefinition, report: Report): void {
  reportDuplicates(
    module.inputs.map((i) => i.name),
    (name) => report(['inputs'], `input "${name}" is declared twice`),
  );
  module.inputs.forEach((input, i) => {
    for (const field of ['default', 'example'] as const) {
      const problem = input[field] === undefined ? null : inputValueProblem(input, input[field], 'declared');
      if (problem) report(['inputs', i, field], problem);
    }
  });
  // A module's request is filled from its own inputs only (and the app's apiVersion, which checkApp
  // checks); the connection's values reach it through the base URL.
  const inputs = new Set(module.inputs.map((i) => i.name));
  for (const { path, value } of stringsIn(module.request)) {
    for (const name of templateNames(value)) {
      if (!inputs.has(name) && name !== 'apiVersion')
        report(['request', ...path], `uses {{${name}}}, which is not an input of the module`);
    }
  }
}
