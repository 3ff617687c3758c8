import { describe, expect, it } from 'vitest';
import { placeCredentials, stripHeaderCredentials } from '../../src/outbound/credentials.ts';
import type { PlacedCredential } from '../../src/outbound/types.ts';

const hop = (headers: Record<string, string>) => ({
  url: new URL('https://api.example.com/v1/items?page=2'),
  method: 'GET',
  headers,
  body: null,
});

describe('placing credentials on a hop', () => {
  it('replaces a header of the same name in any case, and leaves the others and the URL as they are', () => {
    const credentials: PlacedCredential[] = [{ in: 'header', name: 'X-Api-Key', value: 'k-123' }];
    const given = hop({ accept: 'application/json', 'X-API-KEY': 'caller', 'x-api-key': 'caller too' });
    const placed = placeCredentials(given, credentials);
    expect(placed.headers).toEqual({ accept: 'application/json', 'x-api-key': 'k-123' });
    expect(Object.keys(placed.headers).at(-1)).toBe('x-api-key');
    expect(placed.url).toBe(given.url);
    // The hop keeps what it had: placing writes a copy.
    expect(given.headers['X-API-KEY']).toBe('caller');
  });

  it('copies the URL only for a query credential', () => {
    const given = hop({});
    const placed = placeCredentials(given, [{ in: 'query', name: 'key', value: 'k 1' }]);
    expect(placed.url.href).toBe('https://api.example.com/v1/items?page=2&key=k+1');
    expect(given.url.href).toBe('https://api.example.com/v1/items?page=2');
  });

  it('strips headers named like a credential in any case, and any header holding a credential value', () => {
    const credentials: PlacedCredential[] = [{ in: 'header', name: 'Authorization', value: 'Bearer s3cret' }];
    expect(
      stripHeaderCredentials(
        { AUTHORIZATION: 'Bearer other', 'x-echo': 'Bearer s3cret', accept: 'text/plain' },
        credentials,
      ),
    ).toEqual({ accept: 'text/plain' });
  });
});
