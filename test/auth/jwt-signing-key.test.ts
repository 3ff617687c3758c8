import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { importSigningKey } from '../../src/auth/jwt/assertion.ts';

describe('a JWT signing key as people paste it', () => {
  const pem = generateKeyPairSync('ec', { namedCurve: 'P-256' })
    .privateKey.export({ format: 'pem', type: 'pkcs8' })
    .toString();

  it('reads a PEM pasted into a one-line field, its line breaks lost (what a browser does to a password input)', () => {
    const key = importSigningKey(pem.replace(/\n/g, ''), 'ES256') as KeyObject;
    expect(key.asymmetricKeyType).toBe('ec');
  });

  it('still refuses what is no PEM at all, saying how to paste it', () => {
    expect(() => importSigningKey('not a key', 'ES256')).toThrow(/paste it whole/);
  });
});
