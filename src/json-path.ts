/** Reads `a.b[0].c` out of a parsed JSON value; undefined where the path leads nowhere. */
export function readPath(value: unknown, path: string): unknown {
  let current: unknown = value;
  for (const part of path.split('.').flatMap((p) => p.split(/\[(\d+)\]/).filter(Boolean))) {
    if (current === null || typeof current !== 'object') return undefined;
    current =
      /^\d+$/.test(part) && Array.isArray(current)
        ? current[Number(part)]
        : Object.hasOwn(current, part)
          ? (current as Record<string, unknown>)[part]
          : undefined;
  }
  return current;
}
