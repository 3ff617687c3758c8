import type { PlacedCredential } from '../auth/inject.ts';
import { DEFAULT_EXPIRED_WHEN, type ExpiredWhen } from '../catalog/resolve-expired-when.ts';
import type { VerifySettings } from '../catalog/resolve.ts';
import { HitchError } from '../errors.ts';
import { readPath } from '../json-path.ts';
import { jsonText } from '../json-text.ts';
import type { Outbound } from '../outbound/types.ts';
import { answerSaysExpired, jsonOf } from './expiry-signals.ts';
import type { Account } from './kinds/kind.ts';

export type { Account };
export { readPath };

function firstText(value: unknown, paths: string[]): string | undefined {
  for (const path of paths) {
    const found = readPath(value, path);
    if (typeof found === 'string' && found !== '') return found.slice(0, 256);
    if (typeof found === 'number') return String(found);
  }
  return undefined;
}

export class VerifyRefused extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** What the service said about it (`message`, `error_description`…), cut short; may echo what was sent, so callers redact. */
    readonly reason?: string,
    /** The answer is one of the kind's expiry signals (by default a 401): renewing may help. */
    readonly expired: boolean = status === 401,
  ) {
    super(message);
  }
}

/** The service's own words about a refusal, from the usual places in a JSON or text answer. */
function refusalReason(response: { text(): string; json(): unknown }): string | undefined {
  let body: unknown;
  try {
    body = response.json();
  } catch {
    const text = response.text().trim();
    return text && text.length <= 300 && !/[<>]/.test(text) ? text : undefined;
  }
  return firstText(body, ['error_description', 'message', 'error.message', 'errors[0].message', 'detail', 'error']);
}

/**
 * Calls the verify request with these credentials; VerifyRefused on 401/403.
 * Redirects are followed, with the credentials as the outbound client's list:
 * a redirect to another origin gets none of them.
 */
export async function fetchAccount(
  outbound: Outbound,
  verify: VerifySettings,
  placed: readonly PlacedCredential[],
  expiredWhen: ExpiredWhen = DEFAULT_EXPIRED_WHEN,
): Promise<Account | null> {
  if (!verify) return null;
  const headers: Record<string, string> = { accept: 'application/json', ...(verify.headers ?? {}) };
  const response = await outbound.request({
    url: verify.url,
    method: verify.method,
    headers,
    body: verify.body ?? null,
    maxRedirects: 3,
    credentials: placed,
  });
  const expired = answerSaysExpired(expiredWhen, response.status, () => jsonOf(response.body));
  if (response.status === 401 || response.status === 403 || expired) {
    throw new VerifyRefused(
      response.status,
      `The service refused the credentials (HTTP ${response.status}).`,
      refusalReason(response),
      expired,
    );
  }
  if (response.status < 200 || response.status >= 300) {
    throw new HitchError('upstream_bad_response', {
      message: `The service answered the verify request with HTTP ${response.status}; try again later.`,
    });
  }
  let body: unknown = null;
  try {
    body = response.json();
  } catch {
    // A verify endpoint that answers 2xx without JSON still proves the credentials work.
  }
  if (verify.successField && readPath(body, verify.successField) !== true) {
    throw new VerifyRefused(
      response.status,
      `The service refused the credentials (${jsonText(readPath(body, 'error') ?? 'not ok')}).`,
    );
  }
  const id = firstText(body, verify.accountId);
  const label = firstText(body, verify.accountLabel);
  return { ...(id ? { id } : {}), ...(label ? { label } : {}) };
}
