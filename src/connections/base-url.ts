/** A connection's base URL as relative paths are joined to it and judged against it. */
export interface ParsedBase {
  origin: string;
  /** The base URL's path without its trailing slashes. */
  path: string;
}

// Every call through a connection joins its path to, or judges it against, the same few base URLs: each is parsed once.
const parsedBases = new Map<string, ParsedBase>();
const MAX_PARSED_BASES = 1024;

export function baseOf(baseUrl: string): ParsedBase {
  let base = parsedBases.get(baseUrl);
  if (!base) {
    const url = new URL(baseUrl);
    base = { origin: url.origin, path: url.pathname.replace(/\/+$/, '') };
    if (parsedBases.size >= MAX_PARSED_BASES) parsedBases.clear();
    parsedBases.set(baseUrl, base);
  }
  return base;
}

/** The path of `url` below the base URL's path (`/` for the base itself), or undefined when `url` is not below the base. */
export function pathBelowBase(url: URL, baseUrl: string | undefined): string | undefined {
  if (!baseUrl) return undefined;
  const base = baseOf(baseUrl);
  if (url.origin !== base.origin) return undefined;
  if (url.pathname !== base.path && !url.pathname.startsWith(`${base.path}/`)) return undefined;
  return url.pathname.slice(base.path.length) || '/';
}
