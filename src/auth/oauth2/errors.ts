/**
 * Why an OAuth 2.0 step failed, in the families the caller acts on differently:
 *
 * - `rejected`: the server answered with an OAuth error code (RFC 6749 §5.2, §4.1.2.1,
 *   RFC 7009 §2.2.1). `invalid_grant` means the grant is gone (reauthorize);
 *   `invalid_client` means the OAuth client itself is refused (an administrator must fix it);
 *   `access_denied` means the person said no.
 * - `transient`: no usable answer — a network error or timeout (`answered: false`), or
 *   a 5xx / 429 (`answered: true`). Keep the tokens and try later.
 * - `malformed`: the server answered, but not as the protocol says (HTML, no
 *   `access_token`, a wrong type). Retrying will not help until the server or the app changes.
 * - `invalid_callback`: the authorization response failed Hitch's own checks (state,
 *   RFC 9207 `iss`, no code); nothing was sent to the token endpoint.
 *
 * Caller mistakes (a missing argument, an http:// endpoint without
 * `allowInsecureRequests`) are `TypeError`s instead.
 */
export type OAuthErrorKind = 'rejected' | 'transient' | 'malformed' | 'invalid_callback';

/** The `error` codes Hitch itself assigns, beside those servers send. */
export const OAUTH_LOCAL_ERRORS = {
  network_error: 'transient',
  timeout: 'transient',
  invalid_response: 'malformed',
  state_mismatch: 'invalid_callback',
  issuer_mismatch: 'invalid_callback',
  issuer_missing: 'invalid_callback',
  code_missing: 'invalid_callback',
  duplicate_parameter: 'invalid_callback',
  invalid_authorization_response: 'invalid_callback',
} as const satisfies Record<string, OAuthErrorKind>;

export interface OAuthProtocolErrorInit {
  kind: OAuthErrorKind;
  /** The server's `error` code, or one of OAUTH_LOCAL_ERRORS. */
  error: string;
  message: string;
  /** The server's `error_description`, untrusted text: escape it before showing it. */
  description?: string | undefined;
  /** HTTP status of the answer, when there was one. */
  status?: number | undefined;
  /** False when no complete answer arrived: the server may or may not have acted. */
  answered: boolean;
  cause?: unknown;
}

export class OAuthProtocolError extends Error {
  readonly kind: OAuthErrorKind;
  readonly error: string;
  readonly description: string | undefined;
  readonly status: number | undefined;
  readonly answered: boolean;

  constructor(init: OAuthProtocolErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'OAuthProtocolError';
    this.kind = init.kind;
    this.error = init.error;
    this.description = init.description;
    this.status = init.status;
    this.answered = init.answered;
  }
}

export function isOAuthProtocolError(value: unknown, error?: string): value is OAuthProtocolError {
  return value instanceof OAuthProtocolError && (error === undefined || value.error === error);
}

export function invalidResponse(endpoint: string, reason: string, status?: number): OAuthProtocolError {
  return new OAuthProtocolError({
    kind: 'malformed',
    error: 'invalid_response',
    // A sentence even when the reason comes from oauth4webapi without a full stop.
    message: `The ${endpoint} sent an answer that is not a valid OAuth 2.0 response: ${reason.replace(/\.?\s*$/, '.')}`,
    status,
    answered: true,
  });
}
