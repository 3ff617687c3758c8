/**
 * A value read from JSON as text: strings as they are, numbers and booleans printed, objects and arrays
 * as JSON, nothing for null and undefined — never `[object Object]`.
 */
export function jsonText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (value === undefined || value === null) return '';
  return JSON.stringify(value);
}
