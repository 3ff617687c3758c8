import { HitchError } from '../errors.ts';

/**
 * Turns what undici and Node throw into a HitchError whose message names the host
 * and says what happened, in words an administrator can act on. The original
 * error stays as `cause` for the server log.
 */
export function upstreamError(error: unknown, host: string, timeoutMs: number): HitchError {
  if (error instanceof HitchError) return error;
  const code = errorCode(error);
  const details = { host };
  const fail = (kind: 'upstream_unreachable' | 'upstream_bad_response', message: string) =>
    new HitchError(kind, { message, details, cause: error });

  if (
    code === 'UND_ERR_HEADERS_TIMEOUT' ||
    code === 'UND_ERR_BODY_TIMEOUT' ||
    code === 'UND_ERR_CONNECT_TIMEOUT' ||
    code === 'ETIMEDOUT'
  ) {
    return timeoutError(host, timeoutMs, error);
  }
  if (code === 'ECONNREFUSED')
    return fail('upstream_unreachable', `Hitch could not connect to ${host}: the connection was refused.`);
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NODATA' || code === 'EAI_FAIL') {
    return fail('upstream_unreachable', `Hitch could not find ${host} in DNS: check the spelling of the address.`);
  }
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH' || code === 'EADDRNOTAVAIL' || code === 'ENETDOWN') {
    return fail('upstream_unreachable', `Hitch has no network route to ${host}.`);
  }
  if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'UND_ERR_SOCKET' || code === 'UND_ERR_CLOSED') {
    return fail('upstream_unreachable', `${host} closed the connection before answering.`);
  }
  if (
    code !== undefined &&
    /^(CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|ERR_TLS_|ERR_SSL_|HOSTNAME_MISMATCH)/.test(code)
  ) {
    return fail('upstream_unreachable', `Hitch did not accept the TLS certificate of ${host} (${code}).`);
  }
  if (
    code !== undefined &&
    (code.startsWith('HPE_') || code === 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH' || code === 'UND_ERR_INFO')
  ) {
    return fail('upstream_bad_response', `${host} sent a malformed HTTP response.`);
  }
  if (error instanceof Error && /^Proxy /.test(error.message)) {
    return fail('upstream_unreachable', `The outbound proxy did not connect Hitch to ${host}.`);
  }
  return fail('upstream_unreachable', `Hitch could not reach ${host}.`);
}

export function timeoutError(host: string, timeoutMs: number, cause?: unknown): HitchError {
  const seconds = timeoutMs >= 1000 ? `${Math.round(timeoutMs / 100) / 10} seconds` : `${timeoutMs} ms`;
  return new HitchError('upstream_timeout', {
    message: `${host} did not answer within ${seconds}.`,
    details: { host },
    cause,
  });
}

export function tooLargeError(host: string, limitBytes: number): HitchError {
  return new HitchError('upstream_response_too_large', {
    message: `${host} sent an answer larger than the ${formatBytes(limitBytes)} Hitch accepts.`,
    details: { host, limitBytes },
  });
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Math.round((bytes / 1024 / 1024) * 10) / 10} MiB`;
  if (bytes >= 1024) return `${Math.round((bytes / 1024) * 10) / 10} KiB`;
  return `${bytes} bytes`;
}

/** The code of an error, looking inside the AggregateError Node raises when every address of a host failed. */
function errorCode(error: unknown): string | undefined {
  if (error instanceof AggregateError) {
    for (const inner of error.errors) {
      const code = errorCode(inner);
      if (code) return code;
    }
  }
  if (typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string')
    return error.code;
  if (error instanceof Error && error.cause !== undefined && error.cause !== error) return errorCode(error.cause);
  return undefined;
}
