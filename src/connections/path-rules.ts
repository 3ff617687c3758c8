/** Percent-encoded dots and slashes, and backslashes, are how paths escape their base. */
const ESCAPING = /%2e|%2f|%5c|\\/i;

/** Whether text holds an encoded dot, slash or backslash, or a backslash: in a decoded segment, a second encoding. */
export function hasEscapes(text: string): boolean {
  return ESCAPING.test(text);
}

/**
 * The proxy's path rules, the one judge of whether a path can climb out of
 * where it points: `..` and `.` segments, encoded dots and slashes (any case),
 * backslashes and `@`. `targetUrl` refuses such a path; the endpoint grants
 * match no pattern on one, so no spelling reaches past a pattern either.
 */
export function escapesPath(path: string): boolean {
  return hasEscapes(path) || DOT_SEGMENT.test(path) || path.includes('@');
}

/** A `.` or `..` segment: one between slashes, or at either end. */
const DOT_SEGMENT = /(?:^|\/)\.\.?(?:\/|$)/;
