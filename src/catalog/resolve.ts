import type { ScopeSeparator, TokenExpiry } from '../auth/oauth2/index.ts';
import { HitchError, invalidField } from '../errors.ts';
import type { ParameterValue } from './parameters.ts';
import { withDefaults } from './parameters.ts';
import type {
  ApiKeyKindDefinition,
  AppDefinition,
  BasicKindDefinition,
  ConnectionKindDefinition,
  LongLivedTokenDefinition,
  LookupDefinition,
  OAuth2KindDefinition,
  VerifyDefinition,
} from './schema.ts';
import { pathPlacementOf } from './schema.ts';

export type TokenPlacement = 'header' | 'query' | 'both';

export interface Placement {
  in: TokenPlacement;
  headerName: string;
  headerPrefix: string;
  queryName: string;
}

/** An OAuth 2.0 kind made concrete for one connection: templates filled, types checked. */
export interface OAuth2Settings {
  /** `authorization_code` (a person consents in the browser) or `client_credentials` (no browser). */
  flow: 'authorization_code' | 'client_credentials';
  authorizeUrl: string | undefined;
  tokenUrl: string | undefined;
  /** Where refresh tokens go; `tokenUrl` unless the app names another. */
  refreshUrl: string | undefined;
  /** Endpoints that issued refresh tokens the current token URL accepts (HubSpot's v3 one). */
  formerTokenUrls: string[];
  revokeUrl: string | undefined;
  issuer: string | undefined;
  scopeSeparator: ScopeSeparator;
  scopeParameter: string;
  codeParameter: string;
  baseScopes: string[];
  pkce: boolean;
  clientAuth: 'client_secret_post' | 'client_secret_basic';
  authorizeParameters: Record<string, string>;
  tokenParameters: Record<string, string>;
  refreshParameters: Record<string, string>;
  tokenHeaders: Record<string, string>;
  tokenRequestBody: 'form' | 'json';
  tokenPath: string | undefined;
  defaultExpiresInSeconds: number | undefined;
  tokenExpiry: TokenExpiry;
  keepFromTokenResponse: string[];
  keepFromCallback: string[];
  placement: Placement;
  baseUrl: string | undefined;
  verify: (Omit<VerifyDefinition, 'url'> & { url: string }) | undefined;
  /** The request after the code exchange that finds values such as Atlassian's cloud id; its URL filled. */
  lookup: LookupDefinition | undefined;
  /** Instagram's and Threads' long-lived tokens (exchanged after the code, renewed without a refresh token); URLs filled. */
  longLivedToken: LongLivedTokenDefinition | undefined;
  /** Null when neither the person nor the platform has a client: `requireClient` says so in words. */
  client: { clientId: string; clientSecret: string | undefined; own: boolean } | null;
}

/** The OAuth client to use, or the error that tells the person to enter their own. */
export function requireClient(settings: OAuth2Settings): NonNullable<OAuth2Settings['client']> {
  if (!settings.client) throw new HitchError('client_missing', { details: { field: 'parameters.clientId' } });
  return settings.client;
}

const WHOLE = /^\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}$/;
const ANY = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

export type Values = Record<string, ParameterValue | undefined>;

/**
 * Fills `{{name}}` templates. A template that is the whole string yields the
 * value itself (a boolean, a map); inside a longer string it must be text. A
 * template naming a value not set makes the whole field unset.
 */
export function fill(template: unknown, values: Values): unknown {
  // Most of a kind's strings hold no template, and every miss of the token path fills them all.
  if (typeof template !== 'string' || !template.includes('{{')) return template;
  const whole = WHOLE.exec(template);
  if (whole) return values[whole[1]!];
  const names = [...template.matchAll(ANY)].map((m) => m[1]!);
  if (names.some((name) => values[name] === undefined || values[name] === '')) return undefined;
  return template.replace(ANY, (_, name: string) => inText(values[name]!));
}

/** A value inside a longer string: text as it is, a boolean as true/false, a list comma-separated, and a map as String() has it (it has no text form). */
function inText(value: ParameterValue): string {
  if (typeof value === 'object' && !Array.isArray(value)) return '[object Object]';
  return String(value);
}

export function fillMap(template: Record<string, string> | string, values: Values): Record<string, string> {
  const v = fill(template, values);
  if (v === undefined) return {};
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return {};
  const out: Record<string, string> = {};
  for (const [k, raw] of Object.entries(v as Record<string, unknown>)) {
    const filled = fill(raw, values);
    if (typeof filled === 'string') out[k] = filled;
  }
  return out;
}

export function fillString(template: string | undefined, values: Values): string | undefined {
  const v = fill(template, values);
  return typeof v === 'string' && v !== '' ? v : undefined;
}

export function oneOf<T extends string>(value: unknown, allowed: readonly T[], fallback: T): T {
  return typeof value === 'string' && (allowed as readonly string[]).includes(value) ? (value as T) : fallback;
}

function absolute(url: string | undefined, base: string | undefined, field: string): string | undefined {
  if (url === undefined) return undefined;
  if (/^https?:\/\//i.test(url)) {
    // The verify request carries the connection's credentials: not in clear to a host the base URL reaches over https.
    if (
      /^http:/i.test(url) &&
      base &&
      /^https:/i.test(base) &&
      URL.canParse(url) &&
      URL.canParse(base) &&
      new URL(url).hostname === new URL(base).hostname
    ) {
      throw invalidField(
        field,
        `${new URL(url).host} is reached over https:// by the Base URL: write this address with https:// too, so the credentials never travel in clear.`,
      );
    }
    return url;
  }
  if (!base) throw invalidField(field, `A base URL is needed to reach "${url}": set the connection's Base URL.`);
  return base.replace(/\/+$/, '') + url;
}

/** The app's static headers with `{{apiVersion}}` filled: sent on every request through its connections. */
export function resolveAppHeaders(app: Pick<AppDefinition, 'headers' | 'apiVersion'>): Record<string, string> {
  // Every request through a connection reads them: filled once per app.
  let headers = appHeaders.get(app);
  if (!headers) {
    headers = Object.freeze(fillMap(app.headers, app.apiVersion ? { apiVersion: app.apiVersion.value } : {}));
    appHeaders.set(app, headers);
  }
  return headers;
}

const appHeaders = new WeakMap<Pick<AppDefinition, 'headers' | 'apiVersion'>, Readonly<Record<string, string>>>();

/**
 * Headers of a request: the app's static ones, then the caller's, which replace one of the same
 * name whatever its letter case (a module written for another API version names its own).
 */
export function withAppHeaders(
  appHeaders: Readonly<Record<string, string>>,
  own: Readonly<Record<string, string>> = {},
): Record<string, string> {
  // Most apps send no headers of their own: then there is nothing to merge (and no set to build).
  if (Object.keys(appHeaders).length === 0) return { ...own };
  const given = new Set(Object.keys(own).map((name) => name.toLowerCase()));
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(appHeaders)) if (!given.has(name.toLowerCase())) out[name] = value;
  return { ...out, ...own };
}

/** The OAuth 2.0 flows a connection can use; `{{flow}}` picks one per connection. */
export const OAUTH2_FLOWS = ['authorization_code', 'client_credentials'] as const;

/** A kind's parameters with defaults, and values learned while authorizing where no parameter has one. */
export function valuesOf(
  kind: ConnectionKindDefinition,
  values: Record<string, ParameterValue>,
  data: Record<string, unknown> = {},
): Values {
  const out: Values = { ...withDefaults(kind.parameters, values) };
  for (const [k, v] of Object.entries(data)) if (typeof v === 'string' && out[k] === undefined) out[k] = v;
  return out;
}

/** The flow of a connection of this kind (`authorization_code` unless the app or `{{flow}}` says otherwise); undefined for kinds without flows. */
export function resolveFlow(
  kind: ConnectionKindDefinition,
  values: Record<string, ParameterValue>,
  data?: Record<string, unknown>,
): string | undefined {
  if (kind.type === 'jwt') return kind.flow;
  if (kind.type !== 'oauth2') return undefined;
  const flow =
    typeof kind.flow === 'string' && kind.flow.includes('{{')
      ? fill(kind.flow, valuesOf(kind, values, data))
      : kind.flow;
  return oneOf(flow, OAUTH2_FLOWS, 'authorization_code');
}

/**
 * Fills an OAuth 2.0 kind for one connection. `platform` is the platform's own
 * client for the app (read from the environment once, at start-up); a Client ID
 * among the connection's parameters is used instead of it.
 */
export function resolveOAuth2(
  app: AppDefinition,
  kind: OAuth2KindDefinition,
  input: { values: Record<string, ParameterValue>; data?: Record<string, unknown>; secrets: Record<string, string> },
  platform: { clientId: string; clientSecret: string | undefined } | null,
): OAuth2Settings {
  const fixed = hasTemplates(kind) ? undefined : fixedOAuth2Of(kind);
  const values = fixed ? undefined : valuesOf(kind, input.values, input.data);
  // Without templates only the client differs between connections: its id is read as valuesOf would.
  const id = values
    ? values.clientId
    : (input.values.clientId ?? kind.parameters.find((p) => p.name === 'clientId')?.default ?? input.data?.clientId);
  const ownId = typeof id === 'string' && id !== '' ? id : undefined;
  if (fixed && !ownId) return withPlatformClient(kind, fixed, platform);
  const client: OAuth2Settings['client'] = ownId
    ? { clientId: ownId, clientSecret: input.secrets.clientSecret, own: true }
    : platform
      ? { ...platform, own: false }
      : null;
  return { ...(fixed ?? oauth2Endpoints(kind, values!)), client };
}

/** A kind without templates and the platform's client (read once at start-up): one frozen settings object. */
function withPlatformClient(
  kind: OAuth2KindDefinition,
  fixed: Readonly<Omit<OAuth2Settings, 'client'>>,
  platform: { clientId: string; clientSecret: string | undefined } | null,
): OAuth2Settings {
  const known = platformSettings.get(kind);
  if (known && known.platform === platform) return known.settings;
  const settings = Object.freeze({ ...fixed, client: platform ? Object.freeze({ ...platform, own: false }) : null });
  platformSettings.set(kind, { platform, settings });
  return settings;
}

function fixedOAuth2Of(kind: OAuth2KindDefinition): Readonly<Omit<OAuth2Settings, 'client'>> {
  let fixed = fixedOAuth2.get(kind);
  if (!fixed) {
    fixed = Object.freeze(oauth2Endpoints(kind, valuesOf(kind, {})));
    fixedOAuth2.set(kind, fixed);
  }
  return fixed;
}

/**
 * Whether any string of the kind is a template. Most catalog kinds have none: their
 * settings are then the same for every connection but the client, and are filled once.
 */
function hasTemplates(kind: ConnectionKindDefinition): boolean {
  let templated = templatedKinds.get(kind);
  if (templated === undefined) {
    templated = JSON.stringify(kind).includes('{{');
    templatedKinds.set(kind, templated);
  }
  return templated;
}

const templatedKinds = new WeakMap<ConnectionKindDefinition, boolean>();
/** Frozen: one object shared by every connection of the kind. Holds no connection's values or secrets. */
const fixedOAuth2 = new WeakMap<OAuth2KindDefinition, Readonly<Omit<OAuth2Settings, 'client'>>>();
const platformSettings = new WeakMap<
  OAuth2KindDefinition,
  { platform: { clientId: string; clientSecret: string | undefined } | null; settings: OAuth2Settings }
>();

function oauth2Endpoints(kind: OAuth2KindDefinition, values: Values): Omit<OAuth2Settings, 'client'> {
  const baseUrl = fillString(kind.baseUrl, values);
  const verify = kind.verify ? fillString(kind.verify.url, values) : undefined;
  const placement = kind.placement;
  return {
    flow: oneOf(fill(kind.flow, values), OAUTH2_FLOWS, 'authorization_code'),
    authorizeUrl: fillString(kind.authorizeUrl, values),
    tokenUrl: fillString(kind.tokenUrl, values),
    formerTokenUrls: kind.formerTokenUrls.flatMap((url) => fillString(url, values) ?? []),
    refreshUrl: fillString(kind.refreshUrl, values) ?? fillString(kind.tokenUrl, values),
    revokeUrl: fillString(kind.revokeUrl, values),
    issuer: fillString(kind.issuer, values),
    scopeSeparator: oneOf(fill(kind.scopeSeparator, values), [' ', ',', '+'] as const, ' '),
    scopeParameter: kind.scopeParameter,
    codeParameter: kind.codeParameter,
    baseScopes: kind.baseScopes,
    pkce: (() => {
      const v = fill(kind.pkce, values);
      return v === undefined ? true : v === true || v === 'true';
    })(),
    clientAuth: oneOf(
      fill(kind.clientAuth, values),
      ['client_secret_post', 'client_secret_basic'] as const,
      'client_secret_post',
    ),
    authorizeParameters: fillMap(kind.authorizeParameters, values),
    tokenParameters: fillMap(kind.tokenParameters, values),
    refreshParameters: fillMap(kind.refreshParameters, values),
    tokenHeaders: fillMap(kind.tokenHeaders, values),
    tokenRequestBody: kind.tokenRequestBody,
    tokenPath: kind.tokenPath,
    defaultExpiresInSeconds: kind.defaultExpiresInSeconds,
    tokenExpiry: kind.tokenExpiry,
    keepFromTokenResponse: kind.keepFromTokenResponse,
    keepFromCallback: kind.keepFromCallback,
    placement: resolvePlacement(placement, values),
    baseUrl,
    verify:
      kind.verify && verify ? { ...kind.verify, url: absolute(verify, baseUrl, 'parameters.verifyUri')! } : undefined,
    lookup: (() => {
      const url = kind.lookup ? fillString(kind.lookup.url, values) : undefined;
      return kind.lookup && url ? { ...kind.lookup, url } : undefined;
    })(),
    longLivedToken: resolveLongLivedToken(kind.longLivedToken, values),
  };
}

/** The long-lived-token requests with their URLs filled; a URL left unfilled is refused rather than dropped. */
function resolveLongLivedToken(
  definition: LongLivedTokenDefinition | undefined,
  values: Values,
): LongLivedTokenDefinition | undefined {
  if (!definition) return undefined;
  const filled = <R extends { url: string }>(request: R): R => {
    const url = fillString(request.url, values);
    if (!url)
      throw invalidField('parameters', 'The long-lived token URLs need every parameter they name: fill them in.');
    return { ...request, url };
  };
  return {
    exchange: filled(definition.exchange),
    ...(definition.refresh ? { refresh: filled(definition.refresh) } : {}),
  };
}

/** Where a bearer token goes, its templates filled. */
export function resolvePlacement(placement: OAuth2KindDefinition['placement'], values: Values): Placement {
  return {
    in: oneOf(fill(placement.in, values), ['header', 'query', 'both'] as const, 'header'),
    headerName: fillString(placement.headerName, values) ?? 'Authorization',
    headerPrefix: fillString(placement.headerPrefix, values) ?? 'Bearer',
    queryName: fillString(placement.queryName, values) ?? 'access_token',
  };
}

/** The verify request of a kind, made concrete: its URL filled and made absolute against the base URL. */
export type VerifySettings = (Omit<VerifyDefinition, 'url'> & { url: string }) | undefined;

export function resolveVerify(
  verify: VerifyDefinition | undefined,
  values: Values,
  baseUrl: string | undefined,
): VerifySettings {
  const url = verify ? fillString(verify.url, values) : undefined;
  return verify && url ? { ...verify, url: absolute(url, baseUrl, 'parameters.verifyUri')! } : undefined;
}

/** One secret value and where it goes on every request. */
export interface ApiKeyPlacement {
  in: 'header' | 'query' | 'path';
  /** The header or query parameter; for `path`, what the path starts with before the value (`/bot`). */
  name: string;
  /** Joined to the value with `separator`; empty for none. */
  prefix: string;
  /** A space (`Bearer <key>`), or nothing (`Token token=<key>`). */
  separator: ' ' | '';
  value: string;
}

/** An API-key kind made concrete for one connection. */
export interface ApiKeySettings {
  keys: ApiKeyPlacement[];
  baseUrl: string | undefined;
  verify: VerifySettings;
  /** When the key stops working, if the person said (`expiresAtParameter`). */
  expiresAt: number | undefined;
}

/**
 * Fills an API-key kind with a connection's values and secrets. A key whose
 * parameter has no value is an error naming that parameter.
 */
export function resolveApiKey(
  kind: ApiKeyKindDefinition,
  input: { values: Record<string, ParameterValue>; secrets: Record<string, string> },
): ApiKeySettings {
  const values: Values = { ...withDefaults(kind.parameters, input.values) };
  const baseUrl = fillString(kind.baseUrl, values);
  const keys = kind.keys.map((key): ApiKeyPlacement => {
    const value = input.secrets[key.parameter];
    if (value === undefined || value === '')
      throw invalidField(`parameters.${key.parameter}`, `${labelOf(kind, key.parameter)} is required.`);
    const where = oneOf(fill(key.in, values), ['header', 'query', 'path'] as const, 'header');
    if (where === 'path') {
      const prefix = pathPlacementOf(key.name, key.parameter);
      // The schema checked the form; a path key cannot be given its form by a person's value.
      if (prefix === undefined) throw new TypeError(`The path placement of ${key.parameter} is not valid.`);
      return { in: 'path', name: prefix, prefix: '', separator: '', value };
    }
    const name = fillString(key.name, values);
    if (!name || !/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(name))
      throw invalidField(
        'parameters.parameterName',
        'The parameter name must be a header or query parameter name, without spaces.',
      );
    return {
      in: where,
      name,
      prefix: fillString(key.prefix, values) ?? '',
      separator: key.prefixSeparator,
      value,
    };
  });
  const expiresAt = kind.expiresAtParameter ? dateOf(kind, kind.expiresAtParameter, values) : undefined;
  return { keys, baseUrl, verify: resolveVerify(kind.verify, values, baseUrl), expiresAt };
}

/** A date parameter (`2026-09-30`, or a full ISO date and time) as epoch ms; a date alone is taken at its start, in UTC. */
function dateOf(kind: ApiKeyKindDefinition, name: string, values: Values): number | undefined {
  const value = values[name];
  if (value === undefined || value === '') return undefined;
  const ms = typeof value === 'string' && /^\d{4}-\d{2}-\d{2}/.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(ms))
    throw invalidField(`parameters.${name}`, `${labelOf(kind, name)} must be a date such as 2026-09-30.`);
  return ms;
}

/** A Basic kind made concrete for one connection. */
export interface BasicSettings {
  username: string;
  password: string;
  baseUrl: string | undefined;
  verify: VerifySettings;
}

export function resolveBasic(
  kind: BasicKindDefinition,
  input: { values: Record<string, ParameterValue>; secrets: Record<string, string> },
): BasicSettings {
  const values: Values = { ...withDefaults(kind.parameters, input.values) };
  const baseUrl = fillString(kind.baseUrl, values);
  const pick = (name: string | null): string => {
    // The half the service wants empty.
    if (name === null) return '';
    const v = input.secrets[name] ?? values[name];
    if (typeof v !== 'string' || v === '')
      throw invalidField(`parameters.${name}`, `${labelOf(kind, name)} is required.`);
    return v;
  };
  const username = pick(kind.usernameParameter);
  // RFC 7617: the user-id cannot contain a colon, or the service would split it wrongly.
  if (username.includes(':'))
    throw invalidField(`parameters.${kind.usernameParameter!}`, 'The username must not contain a colon (:).');
  return {
    username,
    password: pick(kind.passwordParameter),
    baseUrl,
    verify: resolveVerify(kind.verify, values, baseUrl),
  };
}

export function labelOf(kind: { parameters: Array<{ name: string; label: string }> }, name: string): string {
  return kind.parameters.find((p) => p.name === name)?.label ?? name;
}
