import { Readable } from 'node:stream';
import type { ExpiredWhen } from '../catalog/resolve-expired-when.ts';
import type { OutboundStreamResponse } from '../outbound/types.ts';
import { readPath } from '../json-path.ts';

/**
 * Whether a service's answer means the connection's credentials lapsed: one of
 * the rule's statuses, or (any status) one of its values at its JSON path. The
 * one reading of `expiredWhen`, for ConnectionClient and the Verify button.
 */
export function answerSaysExpired(rule: ExpiredWhen, status: number, json: () => unknown): boolean {
  if (rule.status.includes(status)) return true;
  if (!rule.bodyPath) return false;
  const found = readPath(json(), rule.bodyPath);
  if (typeof found !== 'string' && typeof found !== 'number' && typeof found !== 'boolean') return false;
  return rule.bodyValues.includes(String(found));
}

/** The parsed JSON of a buffered body, or undefined when it is not JSON. */
export function jsonOf(body: Buffer | string): unknown {
  try {
    return JSON.parse(typeof body === 'string' ? body : body.toString('utf8'));
  } catch {
    return undefined;
  }
}

/**
 * The proxy streams answers, so a body rule reads at most this much of a JSON
 * answer: expiry notices are small. A longer answer streams on as it came,
 * its first bytes put back in front, unjudged by the body rule.
 */
export const EXPIRY_PROBE_BYTES = 64 * 1024;

/**
 * A streamed answer checked against the rule. When the rule needs the body and
 * the answer is JSON, up to EXPIRY_PROBE_BYTES are read; the caller gets a body
 * that yields the same bytes, read or not, with backpressure intact.
 */
export async function streamSaysExpired(
  rule: ExpiredWhen,
  response: OutboundStreamResponse,
): Promise<{ expired: boolean; response: OutboundStreamResponse }> {
  if (rule.status.includes(response.status)) return { expired: true, response };
  if (!rule.bodyPath || !mayBeJsonNotice(response.headers)) return { expired: false, response };
  const peeked = await peek(response.body, EXPIRY_PROBE_BYTES);
  const expired = peeked.whole !== undefined && answerSaysExpired(rule, response.status, () => jsonOf(peeked.whole!));
  // The peeked body stands in for the stream; the source is consumed when it is (destroying one destroys both).
  const { status, headers, url } = response;
  const whenConsumed = (fn: () => void) => response.whenConsumed(fn);
  return { expired, response: { status, headers, url, body: peeked.body, takeArrived: () => null, whenConsumed } };
}

/** JSON, and not declared longer than a notice can be. */
function mayBeJsonNotice(headers: OutboundStreamResponse['headers']): boolean {
  const type = header(headers, 'content-type') ?? '';
  const length = header(headers, 'content-length');
  return /[/+]json\b/i.test(type) && (length === undefined || Number(length) <= EXPIRY_PROBE_BYTES);
}

/**
 * Reads a body until it ends or passes `limit`. `whole` is set when it ended
 * within the limit; `body` yields every byte either way, the rest pulled from
 * the source only as the reader asks, and destroying it destroys the source.
 */
async function peek(source: Readable, limit: number): Promise<{ whole?: Buffer; body: Readable }> {
  const chunks: Buffer[] = [];
  let total = 0;
  const iterator = source[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  for (;;) {
    const next = await iterator.next();
    if (next.done) {
      const whole = Buffer.concat(chunks, total);
      return { whole, body: Readable.from([whole], { objectMode: false }) };
    }
    chunks.push(next.value);
    total += next.value.length;
    if (total > limit) break;
  }
  async function* rest(): AsyncGenerator<Buffer> {
    try {
      yield* chunks;
      for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
    } finally {
      await iterator.return?.();
    }
  }
  return { body: Readable.from(rest(), { objectMode: false }) };
}

function header(headers: OutboundStreamResponse['headers'], name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}
