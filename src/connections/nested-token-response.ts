/**
 * Some services answer the token request with the token set one level down:
 * Slack's `oauth.v2.access` puts a user's token in `authed_user`
 * (`{ ok, team, authed_user: { access_token, token_type: "user", scope, … } }`).
 * oauth4webapi reads only the top level, so this wraps the fetch of token calls
 * and lifts the set's members up before anything checks the answer. Everything
 * else stays where it was, for `keepFromTokenResponse`.
 *
 * @see https://api.slack.com/methods/oauth.v2.access
 */

/** The members of a token set (RFC 6749 §5.1, plus the common refresh-expiry extensions). */
const TOKEN_MEMBERS = [
  'access_token',
  'token_type',
  'expires_in',
  'refresh_token',
  'scope',
  'refresh_expires_in',
  'refresh_token_expires_in',
  'id_token',
] as const;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function at(body: Record<string, unknown>, path: string): unknown {
  let value: unknown = body;
  for (const part of path.split('.')) value = isObject(value) ? value[part] : undefined;
  return value;
}

/** The answer with the token set at `tokenPath` moved to the top; unchanged when there is none (an error answer). */
export function liftTokenSet(body: Record<string, unknown>, tokenPath: string): Record<string, unknown> {
  const nested = at(body, tokenPath);
  if (!isObject(nested)) return body;
  const members = new Set<string>(TOKEN_MEMBERS);
  const lifted: Record<string, unknown> = Object.fromEntries(Object.entries(body).filter(([k]) => !members.has(k)));
  for (const member of TOKEN_MEMBERS) {
    if (nested[member] !== undefined) lifted[member] = nested[member];
  }
  // Slack names a user token's type "user"; it is a Bearer token all the same, and oauth4webapi accepts only bearer or DPoP.
  if (typeof lifted.token_type !== 'string' || !/^(bearer|dpop)$/i.test(lifted.token_type))
    lifted.token_type = 'bearer';
  return lifted;
}

/** A fetch for token calls that rewrites JSON answers with `liftTokenSet`. */
export function fetchLiftingTokenSet(fetch: typeof globalThis.fetch, tokenPath: string): typeof globalThis.fetch {
  return async (input, init) => {
    const response = await fetch(input, init);
    const text = await response.text();
    const headers = new Headers(response.headers);
    headers.delete('content-length');
    headers.delete('content-encoding');
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return new Response(text, { status: response.status, statusText: response.statusText, headers });
    }
    const out = isObject(body) ? liftTokenSet(body, tokenPath) : body;
    return new Response(JSON.stringify(out), { status: response.status, statusText: response.statusText, headers });
  };
}
