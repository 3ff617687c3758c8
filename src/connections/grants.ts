import type { Actor } from './events.ts';
import { pathBelowBase } from './base-url.ts';
import { escapesPath, hasEscapes } from './path-rules.ts';

/**
 * Endpoint grants: what Hitch lets a holder (a scenario, a restricted API
 * token) call through a connection, past what the service's scopes allow. A
 * pattern is a method and a path: `{name}` stands for one path segment (or the
 * part of one, as in `{sid}.json`), a trailing `/*` for everything below. The
 * one matcher for scenarios, tokens and agents; paths are judged after the
 * proxy's path rules (./path-rules.ts), so no spelling of `..` or of a slash
 * escapes a pattern.
 */
export interface EndpointPattern {
  /** `GET` (which takes `HEAD` along), another method, or `*` for any. */
  method: string;
  /**
   * Absent: `path` lies below the connection's base URL, as proxy paths do. An
   * origin (`https://uploads.example.com`): `path` is the whole path there. `*`:
   * the whole path on any origin the connection may reach.
   */
  origin?: string;
  path: string;
}

export const GRANT_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] as const;

/** Everything the connection may reach: what a grant left unset means, as before grants existed. */
export const ANY_ENDPOINT: EndpointPattern = Object.freeze({ method: '*', origin: '*', path: '/*' });

/** A grant as a call meets it: who holds it and what would widen it, for the one-sentence refusal. */
export interface EndpointGrant {
  patterns: readonly EndpointPattern[];
  /** `Scenario "Digest"`, `API token "CI"`. */
  holder: string;
  /** The refusal's last words: what to change so the call is granted. */
  remedy: string;
  /** Whom the audit trail names for a refused call: the token's user, or the system for a scenario's run. */
  actor: Actor;
}

const PLACEHOLDER = /\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

export function isAnyEndpoint(pattern: EndpointPattern): boolean {
  return pattern.method === '*' && pattern.origin === '*' && pattern.path === '/*';
}

/** `GET /repos/{owner}/{repo}`, `POST https://uploads.example.com/files`, `* *` for anything. */
export function describePattern(pattern: EndpointPattern): string {
  if (isAnyEndpoint(pattern)) return '* *';
  const where = pattern.origin === undefined || pattern.origin === '*' ? '' : pattern.origin;
  return `${pattern.method} ${where}${pattern.path}`;
}

/** Null when `method` names a grantable method or `*`; else what is wrong. */
export function methodProblem(method: string): string | null {
  return method === '*' || (GRANT_METHODS as readonly string[]).includes(method)
    ? null
    : `the method must be * or one of ${GRANT_METHODS.join(', ')}`;
}

/** Null when `path` is a pattern; else what is wrong, in words that can follow "The path pattern …". */
export function pathProblem(path: string): string | null {
  if (!path.startsWith('/')) return 'must start with /';
  if (/[?#]/.test(path)) return 'must not contain a query or fragment (? or #)';
  if (escapesPath(path)) return 'must not contain "..", "@", backslashes or encoded slashes and dots';
  const segments = path.slice(1).split('/');
  for (const [index, segment] of segments.entries()) {
    const last = index === segments.length - 1;
    if (segment === '*') {
      if (!last) return 'may use * only as its last segment (/repos/*)';
      continue;
    }
    if (segment === '' && !last) return 'must not contain an empty segment (//)';
    if (segment.includes('*')) return 'may use * only as a whole last segment (/repos/*)';
    if (/[{}]/.test(segment.replace(PLACEHOLDER, ''))) return 'may use braces only as {name} placeholders';
    if (/\}\{/.test(segment)) return 'must separate placeholders within a segment by text';
    try {
      decodeURIComponent(segment.replace(PLACEHOLDER, ''));
    } catch {
      return 'is not valid percent-encoding';
    }
  }
  return null;
}

interface Compiled {
  segments: RegExp[];
  prefix: boolean;
}

const compiled = new Map<string, Compiled>();
const COMPILED_MAX = 10_000;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Each segment as a regular expression over the decoded segment: literals decoded, placeholders one or more characters. */
function compile(path: string): Compiled {
  let found = compiled.get(path);
  if (found) return found;
  const parts = path.slice(1).split('/');
  const prefix = parts.at(-1) === '*';
  if (prefix) parts.pop();
  const segments = parts.map((segment) => {
    let source = '';
    let at = 0;
    for (const match of segment.matchAll(PLACEHOLDER)) {
      source += escapeRegExp(decodeURIComponent(segment.slice(at, match.index))) + '[^/]+';
      at = match.index + match[0].length;
    }
    source += escapeRegExp(decodeURIComponent(segment.slice(at)));
    return new RegExp(`^${source}$`, 's');
  });
  found = { segments, prefix };
  if (compiled.size >= COMPILED_MAX) compiled.clear();
  compiled.set(path, found);
  return found;
}

/**
 * A path's segments decoded, as patterns are matched against them; null when it matches no pattern:
 * not percent-encoding, or a segment still encoded after decoding once (it would climb out at a
 * server that decodes twice).
 */
function decodedSegments(path: string): string[] | null {
  let segments: string[];
  try {
    segments = path
      .slice(1)
      .split('/')
      // Most segments hold no escape, and decoding one that holds none changes nothing.
      .map((s) => (s.includes('%') ? decodeURIComponent(s) : s));
  } catch {
    return null;
  }
  return segments.some(hasEscapes) ? null : segments;
}

/** Whether a path's decoded segments are ones the pattern describes. */
function pathMatches(pattern: string, have: readonly string[]): boolean {
  const want = compile(pattern);
  // `/repos/*` takes `/repos` itself and everything below it.
  if (want.prefix ? have.length < want.segments.length : have.length !== want.segments.length) return false;
  return want.segments.every((segment, i) => segment.test(have[i]!));
}

function methodMatches(pattern: string, method: string): boolean {
  return pattern === '*' || pattern === method || (pattern === 'GET' && method === 'HEAD');
}

/**
 * Whether a call of `method` to `url` (as `targetUrl` made it) is within the
 * patterns. A path that could climb out of where it points matches only the
 * grant of everything (which keeps what the connection allowed before grants).
 */
export function grantAllows(
  patterns: readonly EndpointPattern[],
  method: string,
  url: URL,
  baseUrl: string | undefined,
): boolean {
  const upper = method.toUpperCase();
  if (patterns.some(isAnyEndpoint)) return true;
  if (escapesPath(url.pathname)) return false;
  // Each path is decoded once, however many patterns it is held to: below the base, and whole for
  // patterns naming an origin.
  let relative: readonly string[] | null | undefined;
  let whole: readonly string[] | null | undefined;
  return patterns.some((pattern) => {
    if (!methodMatches(pattern.method, upper)) return false;
    if (pattern.origin === undefined) {
      if (relative === undefined) {
        const below = pathBelowBase(url, baseUrl);
        relative = below === undefined ? null : decodedSegments(below);
      }
      return relative !== null && pathMatches(pattern.path, relative);
    }
    if (pattern.origin !== '*' && pattern.origin !== url.origin) return false;
    if (whole === undefined) whole = decodedSegments(url.pathname);
    return whole !== null && pathMatches(pattern.path, whole);
  });
}

/** How a refusal names the call: the path below the base URL, else the URL without its query. */
export function calledPath(url: URL, baseUrl: string | undefined): string {
  return pathBelowBase(url, baseUrl) ?? `${url.origin}${url.pathname}`;
}

/** The patterns limited to reading: GET and HEAD only. */
export function readOnlyPatterns(patterns: readonly EndpointPattern[]): EndpointPattern[] {
  return patterns.flatMap((p) => {
    if (p.method === 'GET' || p.method === 'HEAD') return [p];
    if (p.method !== '*') return [];
    return [
      { ...p, method: 'GET' },
      { ...p, method: 'HEAD' },
    ];
  });
}

const TEMPLATE = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

/**
 * The pattern of a catalog module's request: its method, and its URL template
 * with each `{{input}}` as a `{input}` placeholder. A template whose origin is
 * filled from inputs may go to any origin the connection reaches; a URL that is
 * a template as a whole may go anywhere the connection reaches.
 */
export function patternOfRequest(method: string, urlTemplate: string): EndpointPattern {
  const withoutQuery = urlTemplate.replace(/[?#].*$/s, '');
  if (/^\{\{/.test(withoutQuery)) return { ...ANY_ENDPOINT, method };
  let origin: string | undefined;
  let path = withoutQuery;
  const absolute = /^(https?:\/\/[^/]*)(.*)$/i.exec(withoutQuery);
  if (absolute) {
    const [, originPart = '', rest = ''] = absolute;
    origin = originPart.includes('{{') || !URL.canParse(originPart) ? '*' : new URL(originPart).origin;
    path = rest || '/';
  }
  path = path.replace(TEMPLATE, (_, name: string) => `{${name}}`);
  // A template this matcher cannot read keeps the module working on its origin, for its method.
  if (pathProblem(path) !== null) path = '/*';
  return { method, ...(origin === undefined ? {} : { origin }), path };
}

/** Where a pattern is checked against another: a stand-in for any connection's base URL. */
const STAND_IN_BASE = 'https://connection.invalid';

/**
 * Whether every call `inner` describes is within `outer` — judged on a sample
 * call (each placeholder one segment, a prefix the path itself), so a grant
 * narrower than a placeholder (`/repos/octo/*` against `/repos/{owner}`) counts
 * as not covering it. Used to show an agent only what its token may call.
 */
export function grantCovers(outer: readonly EndpointPattern[], inner: EndpointPattern): boolean {
  if (outer.some(isAnyEndpoint)) return true;
  if (isAnyEndpoint(inner)) return false;
  const sample = inner.path.replace(PLACEHOLDER, 'sample').replace(/\/\*$/, '') || '/';
  const origin = inner.origin === undefined || inner.origin === '*' ? STAND_IN_BASE : inner.origin;
  const url = new URL(`${origin}${sample}`);
  const methods = inner.method === '*' ? GRANT_METHODS : [inner.method];
  return methods.every((method) => grantAllows(outer, method, url, STAND_IN_BASE));
}
