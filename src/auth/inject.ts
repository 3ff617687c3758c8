import type { ApiKeyPlacement, Placement } from '../catalog/resolve.ts';
import type { PlacedCredential } from '../outbound/types.ts';

/**
 * Every kind of authorization (OAuth tokens, API keys, Basic, keychain keys) is
 * reduced to a list of placed credentials here; callers hand the list to the
 * outbound client as `credentials`, which is the one place that puts them on
 * requests — and takes them off when a redirect leaves the origin.
 */
export type { PlacedCredential };

export function placeBearerToken(token: string, placement: Placement): PlacedCredential[] {
  const placed: PlacedCredential[] = [];
  if (placement.in === 'header' || placement.in === 'both') {
    const prefix = placement.headerPrefix.trim();
    placed.push({ in: 'header', name: placement.headerName, value: prefix ? `${prefix} ${token}` : token });
  }
  if (placement.in === 'query' || placement.in === 'both')
    placed.push({ in: 'query', name: placement.queryName, value: token });
  return placed;
}

/**
 * API keys as the service expects them: each in its header or query parameter, with its prefix
 * (`Bearer …`), or at the start of the path (Telegram's `/bot<token>`, placed per request by the
 * outbound client and so on the connection's own origin only).
 */
export function placeApiKeys(keys: readonly ApiKeyPlacement[]): PlacedCredential[] {
  return keys.map((key) => {
    if (key.in === 'path') return { in: 'path', name: key.name, value: key.value };
    const prefix = key.prefix.trim();
    return { in: key.in, name: key.name, value: prefix ? `${prefix} ${key.value}` : key.value };
  });
}

export function placeBasic(username: string, password: string): PlacedCredential[] {
  return [
    {
      in: 'header',
      name: 'Authorization',
      value: `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`,
    },
  ];
}
