import type { ApiKeyPlacement, Placement } from '../catalog/resolve.ts';

/**
 * A credential ready to go on a request: a header or a query parameter. Every
 * kind of authorization (OAuth tokens, API keys, Basic, keychain keys) is
 * reduced to a list of these, and `injectCredentials` is the one place that
 * puts them on requests.
 */
export interface PlacedCredential {
  in: 'header' | 'query';
  name: string;
  value: string;
}

export function placeBearerToken(token: string, placement: Placement): PlacedCredential[] {
  const placed: PlacedCredential[] = [];
  if (placement.in === 'header' || placement.in === 'both') {
    const prefix = placement.headerPrefix.trim();
    placed.push({ in: 'header', name: placement.headerName, value: prefix ? `${prefix} ${token}` : token });
  }
  if (placement.in === 'query' || placement.in === 'both') placed.push({ in: 'query', name: placement.queryName, value: token });
  return placed;
}

/** API keys as the service expects them: each in its header or query parameter, with its prefix (`Bearer …`). */
export function placeApiKeys(keys: readonly ApiKeyPlacement[]): PlacedCredential[] {
  return keys.map((key) => {
    const prefix = key.prefix.trim();
    return { in: key.in, name: key.name, value: prefix ? `${prefix} ${key.value}` : key.value };
  });
}

export function placeBasic(username: string, password: string): PlacedCredential[] {
  return [{ in: 'header', name: 'Authorization', value: `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}` }];
}

/** Header names carrying credentials, so callers can strip them when the origin changes. */
export function credentialHeaderNames(placed: readonly PlacedCredential[]): string[] {
  return placed.filter((p) => p.in === 'header').map((p) => p.name.toLowerCase());
}

/** Places credentials on a request, replacing any header or query parameter of the same name. */
export function injectCredentials(target: { url: URL; headers: Record<string, string> }, placed: readonly PlacedCredential[]): void {
  for (const credential of placed) {
    if (credential.in === 'header') {
      for (const name of Object.keys(target.headers)) if (name.toLowerCase() === credential.name.toLowerCase()) delete target.headers[name];
      target.headers[credential.name] = credential.value;
    } else {
      target.url.searchParams.set(credential.name, credential.value);
    }
  }
}
