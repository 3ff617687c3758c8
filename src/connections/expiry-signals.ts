import { Readable } from 'node:stream';
import type { ExpiredWhen } from '../catalog/resolve-expired-when.ts';
import type { OutboundStreamResponse } from '../outbound/types.ts';
import { readLimited } from '../outbound/response-body.ts';
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
 * The proxy streams answers, so a body rule is read only on answers that can
 * be held without changing that: JSON with a declared length of at most this.
 * Expiry notices are small; a large or unsized answer streams on unread.
 */
export const EXPIRY_PROBE_BYTES = 64 * 1024;

/**
 * A streamed answer checked against the rule. When the rule needs the body and
 * the answer is small declared JSON, the body is read and handed on again as
 * a fresh stream of the same bytes.
 */
export async function streamSaysExpired(
  rule: ExpiredWhen,
  response: OutboundStreamResponse,
): Promise<{ expired: boolean; response: OutboundStreamResponse }> {
  if (rule.status.includes(response.status)) return { expired: true, response };
  if (!rule.bodyPath || !isSmallJson(response.headers)) return { expired: false, response };
  const length = header(response.headers, 'content-length');
  const body = await readLimited(response.body, EXPIRY_PROBE_BYTES, length, () => new Error('over the probe limit'));
  const expired = answerSaysExpired(rule, response.status, () => jsonOf(body));
  return { expired, response: { ...response, body: Readable.from([body], { objectMode: false }) } };
}

function isSmallJson(headers: OutboundStreamResponse['headers']): boolean {
  const type = header(headers, 'content-type') ?? '';
  const length = Number(header(headers, 'content-length'));
  return /[/+]json\b/i.test(type) && Number.isInteger(length) && length >= 0 && length <= EXPIRY_PROBE_BYTES;
}

function header(headers: OutboundStreamResponse['headers'], name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}
