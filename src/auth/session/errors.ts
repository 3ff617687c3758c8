/**
 * Why a session login failed, in the families callers act on differently:
 * - `refused`: the service said no to the user name and password (401, 403, another 4xx);
 *   they must be entered again;
 * - `unusable_answer`: it said yes, but the answer lacks a value the app expects (a cookie,
 *   a header, a JSON field): the app's settings are wrong, retrying will not help;
 * - `unavailable`: no usable answer (a network failure, a timeout: `answered` false; a 5xx
 *   or 429: `answered` true); try later. `code` keeps the outbound client's HitchError code.
 */
export type SessionLoginErrorKind = 'refused' | 'unusable_answer' | 'unavailable';

export class SessionLoginError extends Error {
  constructor(
    readonly kind: SessionLoginErrorKind,
    message: string,
    readonly details: {
      status?: number;
      /** The service's own words, cut short; may echo what was sent, so callers redact. */
      reason?: string;
      answered: boolean;
      /** For `unavailable` without an answer: the outbound client's error code (`upstream_timeout`, `network_blocked`…). */
      code?: string;
      cause?: unknown;
    },
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'SessionLoginError';
  }
}
