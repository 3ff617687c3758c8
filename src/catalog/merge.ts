type JsonObject = Record<string, unknown>;

export function isJsonObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * The one merge rule of an app file over the preset it `extends`: objects
 * merge deeply, key by key; an array or a scalar in the file replaces the
 * preset's whole (arrays are never concatenated or merged by position), so a
 * file that lists `scopes` or `connections` lists all of them. A key the file
 * leaves out keeps the preset's value; the file cannot remove one.
 *
 * Documented for app authors in docs/apps.md ("How a file extends a preset").
 */
export function mergeOverPreset(preset: unknown, file: unknown): unknown {
  if (!isJsonObject(preset) || !isJsonObject(file)) return file === undefined ? preset : file;
  // Built with fromEntries, so a key such as "__proto__" stays a plain key.
  return Object.fromEntries([
    ...Object.entries(preset).filter(([key]) => !Object.hasOwn(file, key)),
    ...Object.entries(file).map(([key, value]) => [key, mergeOverPreset(ownValue(preset, key), value)]),
  ]);
}

function ownValue(object: JsonObject, key: string): unknown {
  return Object.hasOwn(object, key) ? object[key] : undefined;
}
