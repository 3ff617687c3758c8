import type { SessionLogin, SessionValue } from '../../catalog/resolve-session.ts';
import { sessionValueKey } from '../../catalog/resolve-session.ts';
import { isHitchError } from '../../errors.ts';
import { readPath } from '../../json-path.ts';
import { SessionLoginError } from './errors.ts';
import { liveCookies } from './set-cookie.ts';

/**
 * The session login, as a request/process pair like the OAuth 2.0 steps: the
 * user name and password (or key) go once to the login address, and the
 * values the app names (cookies, headers, JSON fields) come back, with how
 * long they live. Nothing here stores or places them.
 */

/** What a login brings back: the values by `sessionValueKey`, and when the session ends (null: not said). */
export interface LoginResult {
  values: Record<string, string>;
  expiresAt: number | null;
}

export interface LoginLifetime {
  /** A dot path into the JSON answer: seconds, or the end as a date. */
  path: string | undefined;
  /** When the answer says nothing. */
  defaultSeconds: number | undefined;
}

/**
 * Sends the login request. It carries the password, so it follows no redirect:
 * a 3xx is the answer (form logins set their cookie on one).
 */
export async function loginRequest(fetch: typeof globalThis.fetch, login: SessionLogin): Promise<Response> {
  try {
    return await fetch(login.url, {
      method: login.method,
      headers: { accept: 'application/json', ...login.headers, 'content-type': login.contentType },
      body: login.body,
      redirect: 'manual',
    });
  } catch (error) {
    if (!isHitchError(error)) throw error;
    const answered = error.code === 'upstream_response_too_large' || error.code === 'upstream_bad_response';
    throw new SessionLoginError('unavailable', `The login request failed: ${error.message}`, {
      answered,
      code: error.code,
      cause: error,
    });
  }
}

/** Reads the login answer: refused, unavailable, or the values and the session's end. */
export async function processLoginResponse(
  response: Response,
  wanted: readonly SessionValue[],
  lifetime: LoginLifetime,
  now: number,
): Promise<LoginResult> {
  const text = await response.text();
  const json = parseJson(text);
  const { status } = response;
  if (status === 408 || status === 429 || status >= 500) {
    throw new SessionLoginError('unavailable', `The login address answered HTTP ${status}; try again later.`, {
      status,
      answered: true,
    });
  }
  if (status >= 400) {
    throw new SessionLoginError('refused', `The service refused the login (HTTP ${status}).`, {
      status,
      reason: reasonOf(json, text),
      answered: true,
    });
  }
  if (status < 200) {
    throw new SessionLoginError('unusable_answer', `The login address answered HTTP ${status}.`, {
      status,
      answered: true,
    });
  }

  const cookies = liveCookies(response.headers.getSetCookie(), now);
  const values: Record<string, string> = {};
  const ends: number[] = [];
  for (const value of wanted) {
    const key = sessionValueKey(value);
    if (key in values) continue;
    const found = valueOf(value, { cookies, headers: response.headers, json });
    if (found === undefined) {
      throw new SessionLoginError('unusable_answer', `The login answer has no ${describe(value)}.`, {
        status,
        answered: true,
      });
    }
    values[key] = found.value;
    if (found.expiresAt !== undefined) ends.push(found.expiresAt);
  }
  return { values, expiresAt: expiresAtOf(json, lifetime, ends, now) };
}

function valueOf(
  value: SessionValue,
  answer: { cookies: ReturnType<typeof liveCookies>; headers: Headers; json: unknown },
): { value: string; expiresAt?: number } | undefined {
  if (value.from === 'cookie') {
    const cookie = answer.cookies.get(value.name);
    if (!cookie?.value) return undefined;
    return { value: cookie.value, ...(cookie.expiresAt !== undefined ? { expiresAt: cookie.expiresAt } : {}) };
  }
  if (value.from === 'header') {
    const header = answer.headers.get(value.name);
    return header ? { value: header } : undefined;
  }
  const found = readPath(answer.json, value.name);
  if (typeof found === 'string' && found !== '') return { value: found };
  if (typeof found === 'number') return { value: String(found) };
  return undefined;
}

function describe(value: SessionValue): string {
  if (value.from === 'cookie') return `${value.name} cookie`;
  if (value.from === 'header') return `${value.name} header`;
  return `"${value.name}" field`;
}

/** The answer's own word on the session's end first, then the cookies' soonest end, then the app's default. */
function expiresAtOf(json: unknown, lifetime: LoginLifetime, cookieEnds: number[], now: number): number | null {
  if (lifetime.path) {
    const found = readPath(json, lifetime.path);
    if (typeof found === 'number' && found > 0) return now + found * 1000;
    if (typeof found === 'string' && /^\d+$/.test(found)) return now + Number(found) * 1000;
    if (typeof found === 'string' && !Number.isNaN(Date.parse(found))) return Date.parse(found);
  }
  if (cookieEnds.length) return Math.min(...cookieEnds);
  return lifetime.defaultSeconds !== undefined ? now + lifetime.defaultSeconds * 1000 : null;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** The service's words about a refusal, from the usual places; never an HTML page. */
function reasonOf(json: unknown, text: string): string | undefined {
  for (const path of ['error_description', 'message', 'error.message', 'errors[0].message', 'detail', 'error']) {
    const found = readPath(json, path);
    if (typeof found === 'string' && found !== '') return found.slice(0, 200);
  }
  const trimmed = text.trim();
  return json === undefined && trimmed && trimmed.length <= 200 && !/[<>]/.test(trimmed) ? trimmed : undefined;
}
