import { setTimeout } from 'node:timers/promises';
import type { RateLimitDefinition } from '../../catalog/schema.ts';
import type { OutboundResponse } from '../../outbound/types.ts';

/** How a module waits: `node:timers/promises`' setTimeout in a run, a recording stand-in in tests. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/** The real wait, cut short when the run is stopped. */
export const waitFor: Sleep = (ms, signal) => setTimeout(ms, undefined, signal ? { signal } : {});

/** Without a hint the wait doubles from this, up to the app's maxWaitSeconds. */
const FIRST_BACKOFF_MS = 1000;

function header(response: OutboundResponse, name: string): string | undefined {
  const value = response.headers[name.toLowerCase()];
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

/**
 * How long the answer asks to wait, in ms: `undefined` when it is not a "wait" at all, `null` when it
 * is one without a readable hint. Retry-After is seconds or an HTTP date (RFC 9110 §10.2.3); reset
 * headers name the moment the window reopens. A 403 is a "wait" only with a hint, since it is also
 * the ordinary refusal.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-10.2.3
 */
export function waitAsked(
  policy: RateLimitDefinition,
  response: OutboundResponse,
  now: number,
): number | null | undefined {
  if (!policy.statuses.includes(response.status)) return undefined;
  for (const name of policy.retryAfterHeaders) {
    const value = header(response, name);
    if (value === undefined) continue;
    if (/^\d+$/.test(value)) return Number(value) * 1000;
    const at = Date.parse(value);
    if (Number.isFinite(at)) return Math.max(0, at - now);
  }
  for (const { name, unit } of policy.resetHeaders) {
    const value = header(response, name);
    if (value === undefined || !/^\d+(\.\d+)?$/.test(value)) continue;
    const n = Number(value);
    if (unit === 'seconds') return n * 1000;
    return Math.max(0, (unit === 'unix_seconds' ? n * 1000 : n) - now);
  }
  return response.status === 403 ? undefined : null;
}

/**
 * Sends, and while the service answers "wait" (waitAsked), waits and sends again, at most
 * `maxRetries` times. A wait longer than `maxWaitSeconds` is not made: the answer goes back as it
 * came, for the module to fail with. The last answer is returned whatever it is.
 */
export async function sendRespectingRateLimits(
  policy: RateLimitDefinition,
  send: () => Promise<OutboundResponse>,
  options: { sleep: Sleep; signal?: AbortSignal | undefined; now?: () => number },
): Promise<OutboundResponse> {
  const now = options.now ?? Date.now;
  let response = await send();
  for (let retry = 0; retry < policy.maxRetries; retry++) {
    const asked = waitAsked(policy, response, now());
    if (asked === undefined) return response;
    const waitMs = asked ?? FIRST_BACKOFF_MS * 2 ** retry;
    if (waitMs > policy.maxWaitSeconds * 1000) return response;
    await options.sleep(waitMs, options.signal);
    response = await send();
  }
  return response;
}
