import * as oauth from 'oauth4webapi';
import { isHitchError } from '../../errors.ts';
import { invalidResponse, OAuthProtocolError } from './errors.ts';

/** How every protocol step reaches the network. */
export interface ProtocolOptions {
  /**
   * The fetch to send requests with. Hitch passes `Outbound.fetch` (network policy,
   * timeouts, size limits); tests may pass the global fetch.
   */
  fetch: typeof globalThis.fetch;
  /**
   * oauth4webapi refuses http:// endpoints. Pass `true` only for endpoints the network
   * policy already allows over plain HTTP (tests on loopback): tokens then travel in clear.
   */
  allowInsecureRequests?: boolean;
  /** Aborts the request. Default: a 15-second timeout, unless `fetchHasDeadline`. */
  signal?: AbortSignal;
  /**
   * `fetch` ends every call at a deadline of its own (Hitch's outbound client does, at 15 s), so
   * no timeout signal is made per call: each one is a timer and an AbortSignal the sweep paid for
   * on every renewal.
   */
  fetchHasDeadline?: boolean;
}

export const DEFAULT_TIMEOUT_MS = 15_000;

export function toFetchOptions(options: ProtocolOptions): {
  [oauth.customFetch]: typeof globalThis.fetch;
  // oxlint-disable-next-line typescript/no-deprecated -- deprecated only to stand out; no replacement, and only loopback policy sets it
  [oauth.allowInsecureRequests]?: boolean;
  signal?: AbortSignal;
} {
  if (typeof options.fetch !== 'function') throw new TypeError('OAuth 2.0 steps need a fetch function.');
  const signal =
    options.signal ?? (options.fetchHasDeadline === true ? undefined : AbortSignal.timeout(DEFAULT_TIMEOUT_MS));
  return {
    [oauth.customFetch]: options.fetch,
    // oxlint-disable-next-line typescript/no-deprecated -- deprecated only to stand out; no replacement exists
    ...(options.allowInsecureRequests === true ? { [oauth.allowInsecureRequests]: true } : {}),
    ...(signal ? { signal } : {}),
  };
}

/**
 * Sends one request and sorts what can go wrong before an answer arrives:
 * no answer is `transient` with `answered: false`; a refused address (Hitch's network
 * policy) and caller mistakes are rethrown as they are.
 */
export async function send(endpoint: string, request: () => Promise<Response>): Promise<Response> {
  try {
    return await request();
  } catch (error) {
    if (isHitchError(error)) {
      if (error.code === 'upstream_timeout' || error.code === 'upstream_unreachable') throw noAnswer(endpoint, error);
      if (error.code === 'upstream_response_too_large' || error.code === 'upstream_bad_response') {
        throw invalidResponse(endpoint, error.message);
      }
      throw error;
    }
    if (
      error instanceof oauth.OperationProcessingError &&
      (error.code === oauth.HTTP_REQUEST_FORBIDDEN || error.code === oauth.REQUEST_PROTOCOL_FORBIDDEN)
    ) {
      throw new TypeError(`The ${endpoint} must be an https:// URL (allowInsecureRequests is not set).`, {
        cause: error,
      });
    }
    if (isCallerMistake(error)) throw error;
    if (error instanceof Error && error.name === 'AbortError') throw error; // the caller cancelled
    throw noAnswer(endpoint, error);
  }
}

function isCallerMistake(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return error instanceof TypeError && typeof code === 'string' && code.startsWith('ERR_INVALID_ARG');
}

function noAnswer(endpoint: string, cause: unknown): OAuthProtocolError {
  const timeout =
    (cause instanceof Error && cause.name === 'TimeoutError') ||
    (isHitchError(cause) && cause.code === 'upstream_timeout');
  return new OAuthProtocolError({
    kind: 'transient',
    error: timeout ? 'timeout' : 'network_error',
    message: timeout ? `The ${endpoint} did not answer in time.` : `The ${endpoint} could not be reached.`,
    answered: false,
    // Errors from fetch carry addresses and socket codes, never request bodies.
    cause,
  });
}

/** A response's body as an object: JSON, or form-encoded (some services answer so). */
export interface ReadResponse {
  status: number;
  body: Record<string, unknown> | undefined;
}

export async function readResponse(endpoint: string, response: Response): Promise<ReadResponse> {
  let text: string;
  try {
    text = await response.text();
  } catch (cause) {
    // Headers came, the body did not: the server may have acted, so this counts as no answer.
    throw noAnswer(endpoint, cause);
  }
  return { status: response.status, body: parseBody(text, response.headers.get('content-type')) };
}

function parseBody(text: string, contentType: string | null): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    if (contentType?.toLowerCase().startsWith('application/x-www-form-urlencoded')) {
      return Object.fromEntries(new URLSearchParams(text));
    }
    return undefined;
  }
}

/**
 * The failure an answer carries, if any (RFC 6749 §5.2): 5xx and 429 are transient
 * whatever the body says; an `error` code is the server saying no — even with
 * status 200, as some services answer; a 401 without a code is a refused client.
 */
export function failureOf(
  endpoint: string,
  answer: ReadResponse,
  okStatus: (status: number) => boolean,
): OAuthProtocolError | undefined {
  const { status, body } = answer;
  const error = typeof body?.error === 'string' && body.error !== '' ? body.error : undefined;
  const description = typeof body?.error_description === 'string' ? body.error_description : undefined;
  if (status >= 500 || status === 429) {
    return new OAuthProtocolError({
      kind: 'transient',
      error: error ?? (status === 429 ? 'temporarily_unavailable' : 'server_error'),
      message: `The ${endpoint} is unavailable (HTTP ${status}).`,
      description,
      status,
      answered: true,
    });
  }
  if (error !== undefined) {
    return new OAuthProtocolError({
      kind: 'rejected',
      error,
      message: `The ${endpoint} refused the request: ${error}.`,
      description,
      status,
      answered: true,
    });
  }
  if (status === 401) {
    return new OAuthProtocolError({
      kind: 'rejected',
      error: 'invalid_client',
      message: `The ${endpoint} refused the client credentials (HTTP 401).`,
      status,
      answered: true,
    });
  }
  if (!okStatus(status)) return invalidResponse(endpoint, `unexpected HTTP status ${status}.`, status);
  return undefined;
}

/**
 * An answer already read, for oauth4webapi's checks of it: a 200 with a JSON body, which they
 * read with `json()` (or `text()`). It holds the text instead of a body stream, which cost
 * each token request more than oauth4webapi's checks themselves.
 */
class ReadAnswer extends Response {
  readonly #text: string;

  constructor(text: string) {
    super(null, { status: 200, headers: { 'content-type': 'application/json' } });
    this.#text = text;
  }

  override json(): Promise<unknown> {
    return Promise.resolve(JSON.parse(this.#text) as unknown);
  }

  override text(): Promise<string> {
    return Promise.resolve(this.#text);
  }
}

/** Rebuilds an answer for oauth4webapi's checks once Hitch has read and tidied its body. */
export function jsonResponse(body: Record<string, unknown>): Response {
  return new ReadAnswer(JSON.stringify(body));
}
