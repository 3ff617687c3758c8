import type { SessionValue } from '../catalog/resolve-session.ts';
import { sessionValueKey } from '../catalog/resolve-session.ts';
import type { ApiKeyPlacement, Placement } from '../catalog/resolve.ts';
import type { PlacedCredential, PlacedSignature } from '../outbound/types.ts';
import { authorizationHeader, formBody, signRequest, type OAuth1Client, type OAuth1Token } from './oauth1/signature.ts';

/**
 * Every kind of authorization (OAuth tokens, API keys, Basic, keychain keys,
 * OAuth 1.0a signatures) is reduced to a list of placed credentials here;
 * callers hand the list to the outbound client as `credentials`, which is the
 * one place that puts them on requests — signing those that are signed per
 * request — and takes them off when a redirect leaves the origin.
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
    return { in: key.in, name: key.name, value: prefix ? `${prefix}${key.separator}${key.value}` : key.value };
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

/**
 * OAuth 1.0a (RFC 5849 §3): an Authorization header signed for each request as it
 * leaves — method, URL, query and a form body — with a fresh nonce and timestamp.
 * `extra` are a protocol step's own parameters (`oauth_callback`, `oauth_verifier`).
 */
export function placeOAuth1Signature(
  client: OAuth1Client,
  token: OAuth1Token | null,
  extra: Readonly<Record<string, string>> = {},
): PlacedSignature {
  const secrets = [token?.token, token?.tokenSecret, client.consumerSecret, client.privateKey];
  return {
    in: 'signature',
    name: 'Authorization',
    secrets: secrets.filter((secret): secret is string => typeof secret === 'string' && secret !== ''),
    sign: (request) =>
      authorizationHeader(
        signRequest(
          { method: request.method, url: request.url, form: formBody(request.headers['content-type'], request.body) },
          client,
          token,
          extra,
        ),
        client.realm,
      ),
  };
}

/**
 * A session's values as the service expects them back: every cookie in one
 * `Cookie` header (RFC 6265 §5.4, `name=value` pairs joined by "; "), every
 * other value in its header with its prefix. A value not kept is left out.
 */
export function placeSessionValues(values: readonly SessionValue[], kept: Record<string, string>): PlacedCredential[] {
  const cookies: string[] = [];
  const placed: PlacedCredential[] = [];
  for (const value of values) {
    const found = kept[sessionValueKey(value)];
    if (found === undefined) continue;
    if (value.in === 'cookie') cookies.push(`${value.as}=${found}`);
    else placed.push({ in: 'header', name: value.as, value: value.prefix ? `${value.prefix} ${found}` : found });
  }
  return cookies.length ? [{ in: 'header', name: 'Cookie', value: cookies.join('; ') }, ...placed] : placed;
}
