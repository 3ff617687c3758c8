import { randomBytes } from 'node:crypto';

/** The millisecond of the last id made here, and the counter its ids of that millisecond have reached. */
let lastMs = -1;
let counter = 0;
/** rand_a's 12 bits; a millisecond's counter starts below half of it, so it has room to count. */
const COUNTER_MAX = 0xfff;

/**
 * A UUIDv7 (RFC 9562 §5.7): time-ordered, so primary keys double as stable
 * pagination cursors and new rows land at the end of the index. Ids made in the
 * same millisecond by this process are ordered too: rand_a holds a counter that
 * starts at random and counts up within the millisecond (§6.2, method 1), so
 * events of one request sort in the order they happened. rand_b's 62 bits stay random.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9562#section-6.2
 */
export function newId(now: number = Date.now()): string {
  const bytes = randomBytes(16);
  bytes.writeUIntBE(now, 0, 6);
  if (now === lastMs && counter < COUNTER_MAX) {
    counter++;
  } else {
    // A new millisecond (or an earlier one a caller names, or a full counter): a fresh random start.
    counter = ((bytes[6]! & 0x07) << 8) | bytes[7]!;
    lastMs = now;
  }
  bytes[6] = 0x70 | (counter >> 8);
  bytes[7] = counter & 0xff;
  bytes[8] = 0x80 | (bytes[8]! & 0x3f);
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** A random, URL-safe secret of `bytes` bytes of entropy (tokens, OAuth state, PKCE verifiers). */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Path parameters that are not ids are answered 404 without touching the database. */
export function isId(value: string): boolean {
  return UUID.test(value);
}
