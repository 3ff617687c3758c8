import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { describe, expect, it } from 'vitest';
import type { ExpiredWhen } from '../../src/catalog/resolve-expired-when.ts';
import { answerSaysExpired, EXPIRY_PROBE_BYTES, streamSaysExpired } from '../../src/connections/expiry-signals.ts';

const rule: ExpiredWhen = { status: [401, 403], bodyPath: 'error.code', bodyValues: ['TOKEN_EXPIRED', '40101'] };

function streamed(status: number, headers: Record<string, string>, chunks: string[]) {
  const body = Readable.from(chunks, { objectMode: false });
  return {
    status,
    headers,
    url: 'https://api.example.com/x',
    body,
    takeArrived: () => null,
    whenConsumed: (fn: () => void) => void body.once('close', fn),
  };
}

describe('expiry signals', () => {
  it('match a listed status, or a listed value at the path in any answer (numbers as their text)', () => {
    expect(answerSaysExpired(rule, 403, () => ({}))).toBe(true);
    expect(answerSaysExpired(rule, 200, () => ({ error: { code: 'TOKEN_EXPIRED' } }))).toBe(true);
    expect(answerSaysExpired(rule, 200, () => ({ error: { code: 40101 } }))).toBe(true);
    expect(answerSaysExpired(rule, 200, () => ({ error: { code: 'RATE_LIMITED' } }))).toBe(false);
    expect(answerSaysExpired(rule, 200, () => ({ error: { code: { nested: 'TOKEN_EXPIRED' } } }))).toBe(false);
    expect(answerSaysExpired(rule, 200, () => undefined)).toBe(false);
  });

  it('read a small chunked JSON answer for the body rule and hand the same bytes on', async () => {
    const body = JSON.stringify({ error: { code: 'TOKEN_EXPIRED' } });
    const checked = await streamSaysExpired(
      rule,
      streamed(200, { 'content-type': 'application/json' }, [body.slice(0, 5), body.slice(5)]),
    );
    expect(checked.expired).toBe(true);
    const fine = await streamSaysExpired(rule, streamed(200, { 'content-type': 'application/json' }, ['{"ok":true}']));
    expect(fine.expired).toBe(false);
    expect(await text(fine.response.body)).toBe('{"ok":true}');
  });

  it('pass a JSON answer longer than the probe on whole and unjudged, and leave other types unread', async () => {
    const chunk = `"${'x'.repeat(16 * 1024)}",`;
    const chunks = ['[', ...Array.from({ length: 8 }, () => chunk), '{"error":{"code":"TOKEN_EXPIRED"}}]'];
    const long = await streamSaysExpired(rule, streamed(200, { 'content-type': 'application/json' }, chunks));
    expect(long.expired).toBe(false);
    const all = await text(long.response.body);
    expect(all.length).toBeGreaterThan(EXPIRY_PROBE_BYTES);
    expect(all).toBe(chunks.join(''));

    const html = streamed(200, { 'content-type': 'text/html' }, ['{"error":{"code":"TOKEN_EXPIRED"}}']);
    const checked = await streamSaysExpired(rule, html);
    expect(checked).toEqual({ expired: false, response: html });
  });
});
