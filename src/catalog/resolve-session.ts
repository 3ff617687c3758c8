import { invalidField } from '../errors.ts';
import type { ParameterValue } from './parameters.ts';
import {
  fill,
  fillString,
  labelOf,
  oneOf,
  resolveVerify,
  valuesOf,
  type Values,
  type VerifySettings,
} from './resolve.ts';
import type { SessionKindDefinition, SessionValueDefinition } from './schema.ts';

/** RFC 9110 §5.6.2: header and cookie names are tokens. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const TEMPLATE = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;
const WHOLE = /^\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}$/;

/** The login request of one connection, its body filled and encoded. */
export interface SessionLogin {
  url: string;
  method: 'POST' | 'PUT';
  headers: Record<string, string>;
  contentType: 'application/json' | 'application/x-www-form-urlencoded';
  body: string;
}

/** One value of the login answer and where calls carry it. */
export interface SessionValue {
  from: 'cookie' | 'header' | 'json';
  /** Cookie or header name, or JSON dot path. */
  name: string;
  in: 'cookie' | 'header';
  /** The cookie or header name on calls. */
  as: string;
  prefix: string;
}

/** A session kind made concrete for one connection. */
export interface SessionSettings {
  login: SessionLogin;
  values: SessionValue[];
  lifetimePath: string | undefined;
  lifetimeSeconds: number | undefined;
  logoutUrl: string | undefined;
  baseUrl: string | undefined;
  verify: VerifySettings;
}

/** Where a value read from the answer is kept among the connection's secrets. */
export function sessionValueKey(value: Pick<SessionValue, 'from' | 'name'>): string {
  return `${value.from}:${value.name}`;
}

/**
 * Fills a session kind for one connection. The login body's `{{name}}`
 * templates are filled value by value after the body is read in its content
 * type, so a password with quotes or ampersands is escaped, never spliced.
 */
export function resolveSession(
  kind: SessionKindDefinition,
  input: { values: Record<string, ParameterValue>; secrets: Record<string, string> },
): SessionSettings {
  const values = valuesOf(kind, input.values);
  const all: Values = { ...values, ...input.secrets };
  const baseUrl = fillString(kind.baseUrl, values);
  const url = fillString(kind.loginUrl, values);
  if (!url) throw invalidField('parameters.loginUri', 'The login address is required.');
  const contentType = oneOf(fill(kind.loginContentType, values), ['json', 'form'] as const, 'json');
  const headers: Record<string, string> = {};
  for (const [name, template] of Object.entries(kind.loginHeaders)) {
    const value = fillString(template, all);
    if (value !== undefined) headers[name.toLowerCase()] = value;
  }
  return {
    login: {
      url,
      method: oneOf(fill(kind.loginMethod, values), ['POST', 'PUT'] as const, 'POST'),
      headers,
      contentType: contentType === 'json' ? 'application/json' : 'application/x-www-form-urlencoded',
      body: loginBody(kind, contentType, all),
    },
    values: sessionValues(kind, values),
    lifetimePath: fillString(kind.lifetimePath, values),
    lifetimeSeconds: lifetimeSeconds(kind, values),
    logoutUrl: fillString(kind.logoutUrl, values),
    baseUrl,
    verify: resolveVerify(kind.verify, values, baseUrl),
  };
}

// --- the login body ------------------------------------------------------------

function loginBody(kind: SessionKindDefinition, contentType: 'json' | 'form', all: Values): string {
  const field = bodyField(kind);
  let template: unknown = kind.loginBody;
  if (typeof template === 'string' && WHOLE.test(template)) template = fill(template, all);
  if (typeof template === 'string') template = parseTemplate(template, contentType, field);
  if (template === null || typeof template !== 'object' || Array.isArray(template))
    throw invalidField(field, 'The login body must be an object of fields, like {"username": "{{username}}"}.');
  if (contentType === 'json') return JSON.stringify(fillDeep(template, all, field));
  const form = new URLSearchParams();
  for (const [name, raw] of Object.entries(template)) form.append(name, asText(fillDeep(raw, all, field)));
  return form.toString();
}

function bodyField(kind: SessionKindDefinition): string {
  const whole = typeof kind.loginBody === 'string' ? WHOLE.exec(kind.loginBody) : null;
  return `parameters.${whole?.[1] ?? 'loginBody'}`;
}

function parseTemplate(text: string, contentType: 'json' | 'form', field: string): unknown {
  if (contentType === 'form') return Object.fromEntries(new URLSearchParams(text));
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw invalidField(
      field,
      'The login body is not JSON: write it like {"username": "{{username}}", "password": "{{password}}"}.',
    );
  }
}

/** Every string in the template filled: a whole `{{name}}` by the value itself, a longer string as text. */
function fillDeep(template: unknown, all: Values, field: string): unknown {
  if (Array.isArray(template)) return template.map((v) => fillDeep(v, all, field));
  if (template && typeof template === 'object')
    return Object.fromEntries(Object.entries(template).map(([k, v]) => [k, fillDeep(v, all, field)]));
  if (typeof template !== 'string') return template;
  const need = (name: string) => {
    const value = all[name];
    if (value === undefined || value === '')
      throw invalidField(field, `The login body uses {{${name}}}, which this connection has no value for.`);
    return value;
  };
  const whole = WHOLE.exec(template);
  if (whole) return need(whole[1]!);
  return template.replace(TEMPLATE, (_, name: string) => asText(need(name)));
}

function asText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean' || typeof value === 'number') return String(value);
  return JSON.stringify(value);
}

// --- the values and their placement --------------------------------------------

function sessionValues(kind: SessionKindDefinition, values: Values): SessionValue[] {
  if (Array.isArray(kind.session)) return kind.session.map((v) => concrete(v, 'session'));
  const fromField = `parameters.${WHOLE.exec(kind.session.from)?.[1] ?? 'sessionFrom'}`;
  const placementField = `parameters.${WHOLE.exec(kind.session.placement)?.[1] ?? 'sessionPlacement'}`;
  const from = listOf(fill(kind.session.from, values));
  const placements = listOf(fill(kind.session.placement, values));
  if (!from.length)
    throw invalidField(
      fromField,
      `${labelOf(kind, fromField.slice(11))} needs at least one entry, like cookie:JSESSIONID.`,
    );
  if (placements.length > from.length)
    throw invalidField(
      placementField,
      'There are more placements than values: give one placement per value, in order.',
    );
  return from.map((entry, i) => concrete(definitionOf(entry, placements[i], fromField, placementField), fromField));
}

function listOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string' && v.trim() !== '');
  if (typeof value === 'string' && value.trim()) return value.split(',').map((v) => v.trim());
  return [];
}

/**
 * The generic app's text form: a source `cookie:NAME`, `header:NAME` or
 * `json:PATH`; a placement `cookie`, `cookie:NAME`, `header:NAME` or
 * `header:NAME:PREFIX`. Without a placement a cookie goes back as itself, a
 * header value in the same header, and a JSON value as `Authorization: Bearer`.
 */
function definitionOf(
  source: string,
  placement: string | undefined,
  fromField: string,
  placementField: string,
): SessionValueDefinition {
  const match = /^(cookie|header|json):(.+)$/.exec(source.trim());
  if (!match)
    throw invalidField(
      fromField,
      `"${source}" is not cookie:<name>, header:<name> or json:<path> (e.g. cookie:JSESSIONID).`,
    );
  const from = match[1] as SessionValueDefinition['from'];
  const name = match[2]!.trim();
  if (placement === undefined || placement.trim() === '') {
    if (from === 'cookie') return { from, name, in: 'cookie', prefix: '' };
    if (from === 'header') return { from, name, in: 'header', as: name, prefix: '' };
    return { from, name, in: 'header', as: 'Authorization', prefix: 'Bearer' };
  }
  const [where, as, ...prefix] = placement.trim().split(':');
  if (where === 'cookie') return { from, name, in: 'cookie', ...(as ? { as } : {}), prefix: '' };
  if (where === 'header' && as) return { from, name, in: 'header', as, prefix: prefix.join(':') };
  throw invalidField(
    placementField,
    `"${placement}" is not cookie, cookie:<name>, header:<name> or header:<name>:<prefix> (e.g. header:Authorization:Bearer).`,
  );
}

function concrete(value: SessionValueDefinition, field: string): SessionValue {
  const as = value.as ?? (value.from === 'cookie' ? value.name : undefined);
  if (!as || !TOKEN.test(as))
    throw invalidField(field, `"${as ?? value.name}" cannot be a ${value.in} name: use letters, digits and - or _.`);
  if (value.from !== 'json' && !TOKEN.test(value.name))
    throw invalidField(field, `"${value.name}" cannot be a ${value.from} name: use letters, digits and - or _.`);
  return { from: value.from, name: value.name, in: value.in, as, prefix: value.prefix.trim() };
}

function lifetimeSeconds(kind: SessionKindDefinition, values: Values): number | undefined {
  const raw = fill(kind.lifetimeSeconds, values);
  if (raw === undefined || raw === '') return undefined;
  const seconds = Number(raw);
  if (!Number.isInteger(seconds) || seconds <= 0) {
    const name = typeof kind.lifetimeSeconds === 'string' ? WHOLE.exec(kind.lifetimeSeconds)?.[1] : undefined;
    throw invalidField(
      `parameters.${name ?? 'sessionLifetimeSeconds'}`,
      'The session lifetime must be a whole number of seconds, like 1800.',
    );
  }
  return seconds;
}
