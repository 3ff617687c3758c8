import { describe, expect, it } from 'vitest';
import { CredentialCache, type CachedCredentials } from '../../src/connections/credential-cache.ts';

const entry = (version: number): CachedCredentials =>
  ({ version, teamId: 't', placed: [], validUntil: Number.MAX_SAFE_INTEGER }) as unknown as CachedCredentials;

describe('the credential cache', () => {
  it('evicts the least recently used connection, counting every read as a use', () => {
    const cache = new CredentialCache(2);
    cache.set('a', entry(1));
    cache.set('b', entry(1));
    // Read after b was stored: a is now the most recent, so c pushes b out.
    expect(cache.get('a', 0)?.version).toBe(1);
    cache.set('c', entry(1));
    expect(cache.get('b', 0)).toBeUndefined();
    expect(cache.get('a', 0)?.version).toBe(1);
    expect(cache.get('c', 0)?.version).toBe(1);
  });

  it('keeps the order right when the same connection is read many times in a row between stores', () => {
    const cache = new CredentialCache(2);
    cache.set('a', entry(1));
    cache.get('a', 0);
    cache.get('a', 0);
    cache.set('b', entry(1));
    cache.get('a', 0);
    cache.get('a', 0);
    cache.set('c', entry(1));
    expect([cache.get('a', 0)?.version, cache.get('b', 0), cache.get('c', 0)?.version]).toEqual([1, undefined, 1]);
  });

  it('forgets an entry past its validity and after a drop', () => {
    const cache = new CredentialCache(4);
    cache.set('a', { ...entry(1), validUntil: 10 });
    expect(cache.get('a', 10)).toBeUndefined();
    cache.set('b', entry(2));
    cache.drop('b');
    expect(cache.get('b', 0)).toBeUndefined();
    expect(cache.size).toBe(0);
  });
});
