import { describe, expect, it } from 'vitest';
import { unionScopes } from '../../src/connections/model.ts';

describe('unionScopes: what a connection asks for', () => {
  it('keeps each scope once, in the order it first appears', () => {
    expect(unionScopes(['openid', 'email'], ['read', 'openid'], ['email', 'write'])).toEqual([
      'openid',
      'email',
      'read',
      'write',
    ]);
  });

  it('skips missing lists and empty names', () => {
    expect(unionScopes(undefined, ['read', ''], undefined, [])).toEqual(['read']);
    expect(unionScopes()).toEqual([]);
  });

  it('is case-sensitive, as services are', () => {
    expect(unionScopes(['Read'], ['read'])).toEqual(['Read', 'read']);
  });

  it('extending permissions never drops a scope the connection had', () => {
    const had = ['repo', 'user'];
    expect(unionScopes(had, ['gist'])).toEqual(expect.arrayContaining(had));
  });
});
