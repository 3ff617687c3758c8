/**
 * The deepest nesting of arrays and objects a JSON request body may have.
 * Every handler that walks a body (templates, mappings, parameters) is bounded
 * by it; real bodies need a handful of levels.
 */
export const MAX_JSON_DEPTH = 64;

/**
 * True when JSON text nests arrays and objects more than `limit` levels deep.
 * One pass over the characters, no parsing and no recursion, so a megabyte of
 * `[` costs a megabyte of reading and nothing else. Brackets inside strings do
 * not count; the text need not be valid JSON (the parser judges that next).
 */
export function nestsDeeperThan(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // a backslash escapes the next character, a quote included
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > limit) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}
