import { HitchError, invalidField } from '../errors.ts';
import type { KeyType } from './types.ts';

/**
 * A key that goes on requests (apiKey, basic, certificate) names the origins it
 * may be sent to when it is entered, as a connection's secret is bound to its
 * destination: a module that names any other origin is refused before the key
 * is placed, and new origins need the secret entered again.
 */
export const KEY_TYPES_WITH_ORIGINS: ReadonlySet<KeyType> = new Set(['apiKey', 'basic', 'certificate']);
export const MAX_KEY_ORIGINS = 20;

/** `https://api.example.com` as URL.origin spells it; refuses paths, queries and credentials. */
function checkOrigin(raw: unknown, index: number): string {
  const field = `origins.${index}`;
  if (typeof raw !== 'string' || raw.length > 2048)
    throw invalidField(field, 'Each origin must be text such as https://api.example.com.');
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw invalidField(field, `"${raw.slice(0, 100)}" is not an origin: write it like https://api.example.com.`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw invalidField(field, 'An origin must start with https:// or http://.');
  if (url.username || url.password || url.search || url.hash || (url.pathname !== '/' && url.pathname !== '')) {
    throw invalidField(
      field,
      `"${raw.slice(0, 100)}" is more than an origin: give only the scheme and host, like https://api.example.com.`,
    );
  }
  return url.origin;
}

/** The origins given for a key, checked and normalised; refused for types that are never sent anywhere. */
export function checkKeyOrigins(type: KeyType, input: unknown): string[] {
  if (!KEY_TYPES_WITH_ORIGINS.has(type)) {
    if (input !== undefined)
      throw invalidField('origins', `A ${type} key is not sent to services, so it takes no origins.`);
    return [];
  }
  if (input === undefined)
    throw invalidField(
      'origins',
      `A ${type} key needs the origins it may be sent to, such as ["https://api.example.com"].`,
    );
  if (!Array.isArray(input) || input.length === 0 || input.length > MAX_KEY_ORIGINS) {
    throw invalidField(
      'origins',
      `origins must be a list of 1 to ${MAX_KEY_ORIGINS} origins, such as ["https://api.example.com"].`,
    );
  }
  return [...new Set(input.map(checkOrigin))];
}

/** Refuses, before the key is placed, a request to an origin the key was not entered for. */
export function assertKeyOrigin(key: { origins: readonly string[] }, url: unknown): void {
  let origin: string | undefined;
  try {
    origin = new URL(String(url)).origin;
  } catch {
    return; // Not an absolute URL: the module refuses it itself, with nothing sent.
  }
  if (key.origins.includes(origin)) return;
  throw new HitchError('forbidden', {
    message: key.origins.length
      ? `This key may be sent only to ${key.origins.join(', ')}, not to ${origin}: add the origin to the key (entering its secret again) or use another key.`
      : `This key has no origins it may be sent to yet: add ${origin} to the key, entering its secret again.`,
    details: { field: 'url' },
  });
}
