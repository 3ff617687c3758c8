import { describe, expect, it } from 'vitest';
import { liveCookies, parseSetCookie } from '../../src/auth/session/set-cookie.ts';

/** RFC 6265 §5.2 and §5.3, as a user agent reads `Set-Cookie`. */
describe('reading Set-Cookie', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');

  it('takes the name and value before the first semicolon, trimmed, and ignores a header with no "=" or no name', () => {
    expect(parseSetCookie(' JSESSIONID = abc.def ; Path=/; HttpOnly', now)).toEqual({
      name: 'JSESSIONID',
      value: 'abc.def',
      expiresAt: undefined,
    });
    expect(parseSetCookie('justtext; Path=/', now)).toBeNull();
    expect(parseSetCookie('=value', now)).toBeNull();
  });

  it('lets Max-Age win over Expires, ignores a malformed one, and reads a date with commas', () => {
    expect(parseSetCookie('a=1; Expires=Thu, 01 Jan 2026 01:00:00 GMT; Max-Age=60', now)!.expiresAt).toBe(now + 60_000);
    expect(parseSetCookie('a=1; Max-Age=soon; Expires=Thu, 01 Jan 2026 01:00:00 GMT', now)!.expiresAt).toBe(
      now + 3_600_000,
    );
    expect(parseSetCookie('a=1; Expires=whenever', now)!.expiresAt).toBeUndefined();
  });

  it('drops cookies that are already expired and keeps the last of a name', () => {
    const cookies = liveCookies(
      [
        'gone=1; Max-Age=0',
        'old=1; Expires=Wed, 31 Dec 2025 00:00:00 GMT',
        'sid=first',
        'sid=second; Max-Age=-5',
        'csrf=x',
      ],
      now,
    );
    expect([...cookies.keys()]).toEqual(['csrf']);
    expect(liveCookies(['sid=first', 'sid=second'], now).get('sid')!.value).toBe('second');
  });
});
