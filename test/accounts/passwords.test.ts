import { describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from '../../src/accounts/passwords.ts';

describe('password hashing', () => {
  it('stores scrypt with its parameters and a fresh salt, and verifies only the right password', async () => {
    const a = await hashPassword('correct horse battery');
    const b = await hashPassword('correct horse battery');
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(a).not.toBe(b);
    expect(a).not.toContain('correct horse');
    expect(await verifyPassword('correct horse battery', a)).toBe(true);
    expect(await verifyPassword('correct horse batterY', a)).toBe(false);
    expect(await verifyPassword('correct horse battery', 'md5$abc')).toBe(false);
  });

  it('still verifies a hash made with other parameters (the cost can be raised later)', async () => {
    const stored = await hashPassword('pw-one-two-three');
    const [, , r, p, salt] = stored.split('$');
    const { scryptSync } = await import('node:crypto');
    const cheaper = scryptSync('pw-one-two-three', Buffer.from(salt!, 'base64'), 32, {
      N: 1024,
      r: Number(r),
      p: Number(p),
    });
    const legacy = ['scrypt', 1024, r, p, salt, cheaper.toString('base64')].join('$');
    expect(await verifyPassword('pw-one-two-three', legacy)).toBe(true);
  });
});
