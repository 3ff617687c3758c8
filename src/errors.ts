/**
 * The one table of operational errors Hitch can answer with.
 *
 * Services throw `HitchError`; the HTTP layer turns it into
 * `{"error":{"code","message"}}` with the status below. Programmer mistakes stay
 * ordinary `TypeError`s and surface as a generic 500 without detail.
 * `docs/errors.md` lists every code; a test keeps the two in step.
 */
export const ERRORS = {
  // requests
  validation_failed: { status: 400, message: 'The request is not valid.' },
  body_too_large: { status: 413, message: 'The request body is too large.' },
  unsupported_media_type: { status: 415, message: 'Send the request body as JSON (Content-Type: application/json).' },
  not_found: { status: 404, message: 'Nothing was found at this address.' },
  method_not_allowed: { status: 405, message: 'This method is not allowed here.' },
  rate_limited: { status: 429, message: 'Too many attempts: wait a minute and try again.' },

  // accounts
  unauthenticated: { status: 401, message: 'Sign in, or send a valid API token, to use this.' },
  invalid_credentials: { status: 401, message: 'The email or password is not correct.' },
  wrong_password: { status: 400, message: 'The current password is not correct.' },
  forbidden: { status: 403, message: 'You are not allowed to do this.' },
  token_restricted: {
    status: 403,
    message:
      'This API token is restricted to calls through its connections: use an unrestricted token, or sign in, for this.',
  },
  origin_mismatch: {
    status: 403,
    message: 'This request came from another site, so it was refused; use Hitch from its own address.',
  },
  email_taken: { status: 409, message: 'A user with this email already exists.' },
  already_member: { status: 409, message: 'This person is already a member of the team.' },
  last_owner: { status: 409, message: 'A team needs at least one owner: make someone else owner first.' },
  user_not_found: {
    status: 404,
    message: 'There is no user with this email: ask an instance administrator to create the account first.',
  },

  // apps and connections
  app_not_found: { status: 404, message: 'There is no app with this id.' },
  auth_not_supported: { status: 400, message: 'This app does not offer this kind of authorization.' },
  connection_in_use: { status: 409, message: 'This connection is used by scenarios: confirm to delete it anyway.' },
  connection_not_authorized: {
    status: 409,
    message: 'This connection has not been authorized yet: reauthorize it first.',
  },
  reauthorization_required: { status: 424, message: 'The service no longer accepts this connection: reauthorize it.' },
  account_mismatch: { status: 409, message: 'You signed in to a different account than this connection uses.' },
  oauth_state_invalid: {
    status: 400,
    message: 'This authorization link is unknown, expired or already used: start again from Hitch.',
  },
  oauth_wrong_user: {
    status: 403,
    message: 'This authorization was started by another user: sign in as that user, or start again.',
  },
  oauth_denied: { status: 400, message: 'Access was not granted at the service.' },
  oauth_failed: { status: 502, message: 'The service did not complete the authorization.' },
  oauth_rejected: { status: 400, message: 'The authorization could not be completed: start again from Hitch.' },
  authorization_lookup_empty: {
    status: 422,
    message:
      'The service offers nothing this connection could use with the access granted: grant access to one, then try again.',
  },
  authorization_lookup_failed: {
    status: 502,
    message: 'The service did not answer the request that finds what this connection uses: try again in a moment.',
  },
  authorization_choice_invalid: {
    status: 400,
    message: 'This choice is unknown, expired or already made: start again from Hitch.',
  },
  client_missing: {
    status: 400,
    message:
      'This app has no OAuth client configured: enter your own Client ID and Client Secret under advanced settings.',
  },
  secrets_required: {
    status: 422,
    message: 'This change sends the connection’s secrets somewhere new: enter them again in the same request.',
  },
  credentials_rejected: { status: 422, message: 'The service refused these credentials: check them and try again.' },
  consent_required: {
    status: 422,
    message: 'The service needs a one-time consent before it accepts this connection: give it, then try again.',
  },
  webhook_not_found: { status: 404, message: 'This team has no webhook: set one with PUT first.' },

  // scenarios and keys
  scopes_missing: {
    status: 409,
    message:
      'A connection lacks permissions this scenario needs: extend its permissions by reauthorizing it for the scenario.',
  },
  endpoint_not_granted: {
    status: 403,
    message:
      'This call is outside the endpoints granted on this connection: widen the grant, or call a granted endpoint.',
  },
  approval_closed: {
    status: 409,
    message: 'This approval was decided already or expired: nothing was changed.',
  },
  approval_required: {
    status: 403,
    message:
      'This API token needs a person’s approval for writes, which only the MCP server asks for: make this call through /mcp, or use a token without approvals.',
  },
  key_in_use: { status: 409, message: 'This key is used by scenarios: confirm to delete it anyway.' },
  module_request_failed: { status: 502, message: 'The service answered the module with an error status.' },
  encryptor_failed: { status: 400, message: 'The data could not be encrypted or decrypted with this key.' },

  // outbound
  network_blocked: {
    status: 400,
    message: 'This address is not reachable from Hitch: private and local networks are blocked.',
  },
  upstream_timeout: { status: 504, message: 'The service did not answer in time.' },
  upstream_unreachable: { status: 502, message: 'The service could not be reached.' },
  upstream_response_too_large: { status: 502, message: 'The service sent an answer larger than Hitch accepts.' },
  upstream_bad_response: { status: 502, message: 'The service sent an answer Hitch could not understand.' },
  too_many_redirects: { status: 502, message: 'The service redirected too many times.' },

  // vault
  vault_key_unusable: {
    status: 500,
    message: 'The master key cannot unlock the stored data keys: start Hitch with the right HITCH_MASTER_KEY.',
  },
  decryption_failed: {
    status: 500,
    message: 'A stored secret could not be decrypted: it was changed or moved outside Hitch.',
  },

  internal: { status: 500, message: 'Something went wrong inside Hitch; the details are in the server log.' },
  unavailable: { status: 503, message: 'Hitch is not ready to serve requests yet.' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ERRORS;

export interface HitchErrorOptions {
  /** A more precise sentence for people than the table's default. */
  message?: string;
  /** Extra public fields added to the JSON error (e.g. `field`, `scenarios`). Never secrets. */
  details?: Record<string, unknown>;
  cause?: unknown;
}

/** An operational failure a person can understand and act on. */
export class HitchError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, options: HitchErrorOptions = {}) {
    super(options.message ?? ERRORS[code].message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'HitchError';
    this.code = code;
    this.status = ERRORS[code].status;
    this.details = options.details;
  }
}

export function isHitchError(value: unknown, code?: ErrorCode): value is HitchError {
  return value instanceof HitchError && (code === undefined || value.code === code);
}

/** 400 naming the field, the shape every validation failure takes. */
export function invalidField(field: string, message: string): HitchError {
  return new HitchError('validation_failed', { message, details: { field } });
}
