/**
 * Reading `Set-Cookie` as a user agent does (RFC 6265 §5.2), for the values a
 * login answer sets: the name, the value, and when the cookie ends. Hitch keeps
 * no cookie jar: the values a kind asks for are stored like tokens and placed
 * on the calls that need them.
 */

export interface SetCookie {
  name: string;
  value: string;
  /** Epoch ms from `Max-Age` (which wins) or `Expires`; undefined for a session cookie. */
  expiresAt: number | undefined;
}

/**
 * One `Set-Cookie` header value; null when it sets no cookie (no `=` in its
 * first part, or an empty name: §5.2 steps 2–3 say to ignore it).
 * @see https://www.rfc-editor.org/rfc/rfc6265#section-5.2
 */
export function parseSetCookie(header: string, now: number): SetCookie | null {
  const [pair = '', ...attributes] = header.split(';');
  const eq = pair.indexOf('=');
  if (eq === -1) return null;
  const name = pair.slice(0, eq).trim();
  const value = pair.slice(eq + 1).trim();
  if (!name) return null;
  let maxAge: number | undefined;
  let expires: number | undefined;
  for (const attribute of attributes) {
    const at = attribute.indexOf('=');
    const key = (at === -1 ? attribute : attribute.slice(0, at)).trim().toLowerCase();
    const argument = at === -1 ? '' : attribute.slice(at + 1).trim();
    // §5.2.2: a Max-Age that is not an optional "-" and digits is ignored; zero or less means "already expired".
    if (key === 'max-age' && /^-?\d+$/.test(argument)) {
      const seconds = Number(argument);
      maxAge = seconds <= 0 ? 0 : now + seconds * 1000;
    }
    // §5.2.1: an Expires that does not parse is ignored.
    if (key === 'expires') {
      const ms = Date.parse(argument);
      if (!Number.isNaN(ms)) expires = ms;
    }
  }
  return { name, value, expiresAt: maxAge ?? expires };
}

/** The live cookies among `Set-Cookie` headers, the last of a name winning (§5.3 step 11: a later one replaces it). */
export function liveCookies(headers: readonly string[], now: number): Map<string, SetCookie> {
  const out = new Map<string, SetCookie>();
  for (const header of headers) {
    const cookie = parseSetCookie(header, now);
    if (!cookie) continue;
    if (cookie.expiresAt !== undefined && cookie.expiresAt <= now) out.delete(cookie.name);
    else out.set(cookie.name, cookie);
  }
  return out;
}
