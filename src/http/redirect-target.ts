/**
 * Where the OAuth sign-in form may send a person once signed in: back to the
 * callback on this server, and nowhere else (no open redirect). Printable ASCII
 * only — no space, no backslash, no control or non-ASCII character — because
 * the target becomes a Location header (where such characters are refused or
 * rewritten) and browsers drop tabs and newlines from URLs, which can turn a
 * path into another host. A real callback address is always percent-encoded.
 */
export function isSignInNext(next: string): boolean {
  return /^\/oauth\/callback\?[\x21-\x5b\x5d-\x7e]*$/.test(next) && !next.includes('//');
}
