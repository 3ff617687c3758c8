/**
 * When an access token ends, read from a token answer that does not follow RFC 6749 §5.1's
 * `expires_in` in seconds. Relative units count from the moment the answer arrived; absolute
 * ones name the moment itself (Strava's `expires_at`, Unix seconds).
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.1
 * @see https://developers.strava.com/docs/authentication/
 */
export const EXPIRY_UNITS = [
  'seconds',
  'milliseconds',
  'minutes',
  'unix_seconds',
  'unix_milliseconds',
  'iso8601',
] as const;
export type ExpiryUnit = (typeof EXPIRY_UNITS)[number];

export interface TokenExpiry {
  /** The member of the answer, at its top level (`expires_in`, `expires_at`). */
  member: string;
  unit: ExpiryUnit;
}

const MS_PER_UNIT: Partial<Record<ExpiryUnit, number>> = { seconds: 1000, milliseconds: 1, minutes: 60_000 };

/** Seconds left from `now`, or undefined when the member is absent or unreadable; a moment past gives 0. */
export function lifetimeSeconds(answer: Record<string, unknown>, expiry: TokenExpiry, now: number): number | undefined {
  const raw = answer[expiry.member];
  if (raw === undefined || raw === null || raw === '') return undefined;
  let endsAt: number;
  if (expiry.unit === 'iso8601') {
    if (typeof raw !== 'string') return undefined;
    endsAt = Date.parse(raw);
  } else {
    const value = typeof raw === 'number' ? raw : typeof raw === 'string' ? Number(raw) : Number.NaN;
    if (!Number.isFinite(value) || value < 0) return undefined;
    const relative = MS_PER_UNIT[expiry.unit];
    endsAt = relative !== undefined ? now + value * relative : expiry.unit === 'unix_seconds' ? value * 1000 : value;
  }
  if (!Number.isFinite(endsAt)) return undefined;
  return Math.max(0, Math.floor((endsAt - now) / 1000));
}
