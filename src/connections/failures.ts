import { OAuthProtocolError } from '../auth/oauth2/errors.ts';
import { SessionLoginError } from '../auth/session/errors.ts';
import { ERRORS, HitchError, isHitchError, type ErrorCode } from '../errors.ts';
import type { ConnectionStatus } from '../store/schema.ts';
import type { LastErrorAction } from './last-error-action.ts';
import { GrantUnusable } from './kinds/kind.ts';
import { VerifyRefused } from './verify-request.ts';

/**
 * Failures translated once. Protocol steps raise their own errors —
 * OAuthProtocolError (auth/oauth2), SessionLoginError (auth/session), VerifyRefused (the verify request),
 * GrantUnusable (a kind's own finding), RenewalHeld (the lease) — or the
 * HitchError of a lower layer (the network policy, a bad setting). This file is
 * the one place that reads them: for (what happened, where) it says how the
 * connection's status changes and which HitchError people see.
 */

/** Where in a connection's life a failure happened. */
export type Step =
  /** The query the service sent the person back with (state, `iss`, `error`): the kind's `consent.check`. */
  | 'authorization_response'
  /** The kind's `consent.start` when it asks the service first (OAuth 1.0a's request token). */
  | 'consent_start'
  /** The kind's `consent.finish` (OAuth 2.0's code exchange), and checking the new token. */
  | 'code_exchange'
  /** A kind without a browser step asking the service to accept new values. */
  | 'acceptance'
  /** Renewing credentials, in the background or on the token path. */
  | 'renewal'
  /** The Verify button. */
  | 'verify';

/**
 * What a failure does to the connection:
 * - `reauthorization_required`: the grant is gone; a person must act;
 * - `error`: the service refuses Hitch's client; an administrator must act (retried with backoff);
 * - `kept`: transient; the connection stays active while its token works, `error` once it lapsed (retried with backoff);
 * - `none`: nothing about the connection changes (a refused callback or acceptance saves nothing).
 */
export type StatusChange = 'reauthorization_required' | 'error' | 'kept' | 'none';

/** Each status change's action: the change already says whose the failure is. */
const ACTION_OF_CHANGE: Record<StatusChange, LastErrorAction> = {
  reauthorization_required: 'reauthorize',
  error: 'admin',
  kept: 'verify',
  none: 'verify',
};

/**
 * The action the API shows with a recorded last error. A connection that needs reauthorizing
 * calls for that whatever was recorded; an error recorded before actions were kept has only the
 * status to go by.
 */
export function lastErrorAction(status: ConnectionStatus, recorded: LastErrorAction | undefined): LastErrorAction {
  if (status === 'reauthorization_required') return 'reauthorize';
  return recorded ?? 'verify';
}

/** A failure read: what people see (it is a HitchError), what it does to the status, what lastError keeps. */
export class ConnectionFailure extends HitchError {
  constructor(
    code: ErrorCode,
    message: string,
    readonly change: StatusChange,
    /** The code kept in lastError and the event (`invalid_grant`, `invalid_client`, `network_blocked`…). */
    readonly reason: string,
    /** False when no answer came: the service may not have seen the request, so a renewal may be sent once more. */
    readonly answered: boolean,
  ) {
    super(code, { message });
    this.name = 'ConnectionFailure';
  }

  /** What it asks a person to do, kept with lastError. */
  get action(): LastErrorAction {
    return ACTION_OF_CHANGE[this.change];
  }
}

/** The lease's own refusals to renew now: another renewal holds it too long, or the connection is cooling down, or is gone. */
export class RenewalHeld extends Error {
  constructor(
    readonly code: 'cooling_down' | 'renewal_stuck' | 'not_found',
    /** The last failure's message, while cooling down. */
    readonly lastMessage?: string,
  ) {
    super(`Renewal held: ${code}.`);
    this.name = 'RenewalHeld';
  }
}

export interface FailureContext {
  /** The kind's flow: a client-credentials grant refused with the person's own client is theirs to fix. */
  flow?: string | undefined;
  /** The client is the connection's own (entered by the person), not the platform's. */
  ownClient?: boolean;
  /** The lease was left to expire by a holder that stopped mid-renewal. */
  afterAbandonedLease?: boolean;
  /** How the refusal names what was entered: "this key", "this OAuth client". */
  words?: string;
  /** Everything the request carried that the service may quote back. */
  redact?: (text: string) => string;
  /** `renewable: false` kinds (keys, passwords) are entered again rather than reauthorized. */
  renewable?: boolean;
  /** The flow knew the server's issuer: `iss` was checked against it. */
  issuerKnown?: boolean;
  /** JWT kinds: where the one-time consent is given, for a refusal that asks for it. */
  consentUrl?: string | undefined;
}

/**
 * A JWT grant refused until someone consents once: DocuSign's `consent_required`,
 * Salesforce's `invalid_grant` "user hasn't approved this consumer". Null for any other failure.
 */
function consentRefusal(error: unknown, context: FailureContext): { message: string; consentUrl: string } | null {
  const consentUrl = context.consentUrl;
  if (!consentUrl || !(error instanceof OAuthProtocolError) || error.kind !== 'rejected') return null;
  const asks =
    error.error === 'consent_required' ||
    (error.error === 'invalid_grant' && /approved this consumer/i.test(error.description ?? ''));
  if (!asks) return null;
  return {
    consentUrl,
    message: `The service needs a one-time consent before it accepts this connection: open ${consentUrl} as the account the connection acts for (or its administrator), approve, then try again.`,
  };
}

const GRANT_UNUSABLE: Record<GrantUnusable['code'], string> = {
  not_renewable: 'The access expired and the service gave no way to renew it: reauthorize the connection.',
  token_endpoint_changed:
    "The connection's token endpoint changed after it was authorized, and its refresh token is sent only where it came from: reauthorize the connection.",
  refused: 'The service no longer accepts this connection (HTTP 401): reauthorize it.',
};

/** HitchErrors of lower layers that mean Hitch's OAuth client or its settings are wrong, not the grant. */
const CLIENT_FAULTS = new Set(['network_blocked', 'validation_failed', 'client_missing']);

/** ` (HTTP 401)`, or nothing when the refusal came without an answer's status. */
const httpStatus = (status: number | undefined) => (status === undefined ? '' : ` (HTTP ${status})`);

function said(description: string | undefined, max: number, redact?: (text: string) => string): string | undefined {
  if (!description) return undefined;
  return (redact ? redact(description) : description).slice(0, max);
}

/** Renewal: the status change and the error the token path answers with. */
function atRenewal(error: unknown, context: FailureContext): ConnectionFailure | null {
  const lost = (reason: string, message: string, answered: boolean) =>
    new ConnectionFailure('reauthorization_required', message, 'reauthorization_required', reason, answered);
  const refused = (reason: string, message: string, answered: boolean) =>
    context.flow === 'client_credentials' && context.ownClient
      ? lost(reason, 'The service no longer accepts this client: enter a new Client Secret through reauthorize.', true)
      : new ConnectionFailure('upstream_unreachable', message, 'error', reason, answered);
  const transient = (reason: string, message: string, answered: boolean) =>
    new ConnectionFailure('upstream_unreachable', message, 'kept', reason, answered);

  if (error instanceof GrantUnusable) return lost(error.code, GRANT_UNUSABLE[error.code], false);
  const consent = consentRefusal(error, context);
  if (consent) return lost('consent_required', consent.message, true);
  if (error instanceof SessionLoginError) {
    const { status, answered, code } = error.details;
    // The service's words are not kept: they may quote the password the login carried.
    if (error.kind === 'refused')
      return lost(
        'login_refused',
        `The service no longer accepts this connection's sign-in details${httpStatus(status)}: reauthorize the connection with the current ones.`,
        true,
      );
    if (error.kind === 'unusable_answer')
      return new ConnectionFailure(
        'upstream_bad_response',
        `${error.message} The app's session settings do not match what the service sends: an administrator must fix them.`,
        'error',
        'session_values_missing',
        true,
      );
    if (code && CLIENT_FAULTS.has(code)) return refused(code, error.message, false);
    return transient(code ?? 'login_unavailable', error.message, answered);
  }
  if (error instanceof RenewalHeld) {
    if (error.code === 'not_found') return lost('not_found', 'The connection no longer exists.', false);
    if (error.code === 'cooling_down')
      return transient(
        'cooling_down',
        error.lastMessage ?? 'Renewal is paused after a failure; Hitch will try again shortly.',
        false,
      );
    return transient(
      'renewal_stuck',
      'Another renewal of this connection did not finish in time; try again shortly.',
      false,
    );
  }
  if (error instanceof OAuthProtocolError) {
    const text = said(error.description, 200);
    const words = text ? ` (${text})` : '';
    if (error.kind === 'rejected' && error.error === 'invalid_grant') {
      if (context.afterAbandonedLease) {
        return lost(
          'renewal_interrupted',
          'A renewal of this connection was interrupted (Hitch stopped while the service was answering), so the renewed authorization was lost and the service no longer accepts the old one: reauthorize the connection.',
          true,
        );
      }
      return lost(
        'invalid_grant',
        `The service no longer accepts this connection's authorization${words}: reauthorize the connection.`,
        true,
      );
    }
    if (error.kind === 'rejected' && (error.error === 'invalid_client' || error.error === 'unauthorized_client')) {
      return refused(
        error.error,
        `The service refused Hitch's OAuth client (${error.error})${words}: an administrator must fix the app's Client ID and Client Secret.`,
        true,
      );
    }
    return transient(error.error, `Renewing the access failed: ${error.message}`, error.answered);
  }
  if (isHitchError(error)) {
    // assertSameDestinations: the address changed after the secrets were entered.
    if (error.code === 'reauthorization_required') return lost('destination_changed', error.message, false);
    if (CLIENT_FAULTS.has(error.code)) return refused(error.code, error.message, false);
    return transient(error.code, error.message, false);
  }
  return null;
}

/** The callback's query: refused before anything is exchanged. */
function atAuthorizationResponse(error: unknown, context: FailureContext): HitchError | null {
  if (!(error instanceof OAuthProtocolError)) return atCodeExchange(error);
  if (error.kind === 'rejected') {
    const reason = said(error.description, 300) ?? error.error.slice(0, 100);
    if (error.error === 'access_denied')
      return new HitchError('oauth_denied', { message: `Access was not granted at the service: ${reason}` });
    return new HitchError('oauth_failed', { message: `The service could not authorize the connection: ${reason}` });
  }
  if (error.kind === 'invalid_callback' && error.error === 'issuer_mismatch' && !context.issuerKnown) {
    return new HitchError('oauth_rejected', {
      message:
        "The answer came from another authorization server than the one this connection uses (issuer_mismatch); start again from Hitch, or set the connection's Issuer.",
    });
  }
  return atCodeExchange(error);
}

/** The code exchange, and the first use of the new token. */
function atCodeExchange(error: unknown): HitchError | null {
  if (error instanceof VerifyRefused)
    return new HitchError('oauth_failed', {
      message: 'The service issued a token but refused it right away; try again.',
    });
  if (!(error instanceof OAuthProtocolError)) return isHitchError(error) ? error : null;
  const text = said(error.description, 300);
  const words = text ? `: ${text}` : '';
  switch (error.kind) {
    // The service answered, and said no (or the answer failed a check such as `iss`): the request was at fault, so a 4xx.
    case 'invalid_callback':
      return new HitchError('oauth_rejected', {
        message: `The answer from the service did not pass Hitch's checks (${error.error}); start again from Hitch.`,
      });
    case 'rejected':
      if (error.error === 'access_denied')
        return new HitchError('oauth_denied', { message: `Access was not granted at the service${words}.` });
      if (error.error === 'invalid_client')
        return new HitchError('oauth_rejected', {
          message: `The service refused the OAuth client (invalid_client)${words}: check the Client ID and Client Secret.`,
        });
      return new HitchError('oauth_rejected', {
        message: `The service refused the authorization (${error.error})${words}; try again.`,
      });
    default:
      return new HitchError('oauth_failed', { message: `${error.message} Try again in a moment.` });
  }
}

/** New values checked at the service (create, reauthorize, a changed destination): a refusal saves nothing. */
function atAcceptance(error: unknown, context: FailureContext): HitchError | null {
  const redact = context.redact ?? ((text: string) => text);
  const words = context.words ?? 'these credentials';
  if (error instanceof VerifyRefused) {
    const reason = error.reason ? `: "${redact(error.reason).slice(0, 200)}"` : '';
    return new HitchError('credentials_rejected', {
      message: `The service refused ${words} (HTTP ${error.status})${reason}. Check ${words} and try again.`,
    });
  }
  if (error instanceof SessionLoginError) return atLogin(error, words, redact);
  // A key or a password checked by its verify request: a refused address or a bad setting is told as it is.
  if (context.renewable === false) return null;
  const consent = consentRefusal(error, context);
  if (consent)
    return new HitchError('consent_required', {
      message: consent.message,
      details: { consentUrl: consent.consentUrl },
    });
  // A token grant (client credentials) is read as a renewal would read it, then told as a refusal of what was entered.
  const renewal = error instanceof OAuthProtocolError || isHitchError(error) ? atRenewal(error, {}) : null;
  if (!renewal) return null;
  if (renewal.change === 'kept')
    return new HitchError('oauth_failed', { message: `The service did not issue a token: ${redact(renewal.message)}` });
  return new HitchError('credentials_rejected', {
    message: `The service refused ${words} (${renewal.reason}): ${redact(renewal.message)}`,
  });
}

/** A session login checked with new values: a refusal is the person's to fix, the rest is told as it is. */
function atLogin(error: SessionLoginError, words: string, redact: (text: string) => string): HitchError {
  const { status, reason, code } = error.details;
  if (error.kind === 'refused') {
    const said = reason ? `: "${redact(reason).slice(0, 200)}"` : '';
    return new HitchError('credentials_rejected', {
      message: `The service refused ${words}${httpStatus(status)}${said}. Check ${words} and try again.`,
    });
  }
  if (error.kind === 'unusable_answer')
    return new HitchError('upstream_bad_response', {
      message: `${error.message} Check the session settings: they must name what the login answer sets.`,
    });
  const known = code !== undefined && code in ERRORS ? (code as ErrorCode) : 'upstream_unreachable';
  return new HitchError(known, { message: redact(error.message) });
}

/** The Verify button: a refusal means the connection no longer works. */
function atVerify(error: unknown, context: FailureContext): ConnectionFailure | null {
  if (error instanceof VerifyRefused) {
    const message =
      context.renewable === false
        ? 'The service no longer accepts this key: enter a new one.'
        : 'The service no longer accepts this connection: reauthorize it.';
    return new ConnectionFailure(
      'reauthorization_required',
      message,
      'reauthorization_required',
      'reauthorization_required',
      true,
    );
  }
  if (isHitchError(error)) return new ConnectionFailure(error.code, error.message, 'none', error.code, true);
  return null;
}

/** A renewal that failed inside Hitch (a bug): recorded as transient, so it is retried; the error itself surfaces. */
export function unexpectedRenewalFailure(): ConnectionFailure {
  return new ConnectionFailure(
    'internal',
    'Renewal failed inside Hitch; it will be retried.',
    'kept',
    'internal',
    false,
  );
}

const TABLE: Record<Step, (error: unknown, context: FailureContext) => HitchError | null> = {
  authorization_response: atAuthorizationResponse,
  consent_start: atCodeExchange,
  code_exchange: atCodeExchange,
  acceptance: atAcceptance,
  renewal: atRenewal,
  verify: atVerify,
};

/**
 * The failure as people read it, with its effect on the connection. Null when
 * the error is none of the families above: a bug, which callers let surface.
 */
export function failureAt(
  step: 'renewal' | 'verify',
  error: unknown,
  context?: FailureContext,
): ConnectionFailure | null;
export function failureAt(step: Step, error: unknown, context?: FailureContext): HitchError | null;
export function failureAt(step: Step, error: unknown, context: FailureContext = {}): HitchError | null {
  return TABLE[step](error, context);
}
