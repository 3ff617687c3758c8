import { describe, expect, it } from 'vitest';
import { OAuthProtocolError, type OAuthErrorKind } from '../../src/auth/oauth2/errors.ts';
import { ConnectionFailure, failureAt, lastErrorAction, RenewalHeld } from '../../src/connections/failures.ts';
import { GrantUnusable } from '../../src/connections/kinds/kind.ts';
import { VerifyRefused } from '../../src/connections/verify-request.ts';
import { HitchError, invalidField } from '../../src/errors.ts';

const oauth = (kind: OAuthErrorKind, error: string, more: { description?: string; answered?: boolean } = {}) =>
  new OAuthProtocolError({
    kind,
    error,
    message: `The token endpoint said ${error}.`,
    description: more.description,
    answered: more.answered ?? true,
  });

describe('the failure table: (what happened, where) → status change and what people read', () => {
  it('at renewal, invalid_grant is a lost grant; after an abandoned lease it says the renewal was interrupted', () => {
    const lost = failureAt('renewal', oauth('rejected', 'invalid_grant', { description: 'grant revoked' }))!;
    expect(lost).toBeInstanceOf(ConnectionFailure);
    expect(lost).toMatchObject({
      code: 'reauthorization_required',
      status: 424,
      change: 'reauthorization_required',
      reason: 'invalid_grant',
    });
    expect(lost.message).toMatch(/\(grant revoked\): reauthorize/);
    expect(failureAt('renewal', oauth('rejected', 'invalid_grant'), { afterAbandonedLease: true })).toMatchObject({
      reason: 'renewal_interrupted',
      change: 'reauthorization_required',
    });
  });

  it("at renewal, invalid_client is the administrator's (error) — unless it is the person's own client-credentials client", () => {
    expect(failureAt('renewal', oauth('rejected', 'invalid_client'))).toMatchObject({
      code: 'upstream_unreachable',
      change: 'error',
      reason: 'invalid_client',
    });
    expect(failureAt('renewal', oauth('rejected', 'unauthorized_client'))).toMatchObject({ change: 'error' });
    expect(
      failureAt('renewal', oauth('rejected', 'invalid_client'), { flow: 'client_credentials', ownClient: true }),
    ).toMatchObject({ change: 'reauthorization_required', reason: 'invalid_client' });
    expect(
      failureAt('renewal', oauth('rejected', 'invalid_client'), { flow: 'authorization_code', ownClient: true }),
    ).toMatchObject({ change: 'error' });
  });

  it("says what each failure asks of a person: the person's own client-credentials client is reauthorized, the platform's is an administrator's", () => {
    expect(failureAt('renewal', oauth('rejected', 'invalid_grant'))?.action).toBe('reauthorize');
    expect(failureAt('renewal', oauth('rejected', 'invalid_client'))?.action).toBe('admin');
    expect(
      failureAt('renewal', oauth('rejected', 'invalid_client'), { flow: 'client_credentials', ownClient: true })
        ?.action,
    ).toBe('reauthorize');
    expect(failureAt('renewal', oauth('transient', 'server_error'))?.action).toBe('verify');
    expect(failureAt('verify', new HitchError('upstream_unreachable'))?.action).toBe('verify');
    // The status outranks what was recorded; an error recorded before actions were kept goes by the status.
    expect(lastErrorAction('reauthorization_required', 'verify')).toBe('reauthorize');
    expect(lastErrorAction('error', 'admin')).toBe('admin');
    expect(lastErrorAction('error', undefined)).toBe('verify');
  });

  it('at renewal, transient faults keep the tokens and say whether the service answered', () => {
    expect(failureAt('renewal', oauth('transient', 'timeout', { answered: false }))).toMatchObject({
      code: 'upstream_unreachable',
      change: 'kept',
      answered: false,
    });
    expect(failureAt('renewal', oauth('transient', 'server_error'))).toMatchObject({ change: 'kept', answered: true });
    expect(failureAt('renewal', oauth('malformed', 'invalid_response'))).toMatchObject({
      change: 'kept',
      reason: 'invalid_response',
    });
    expect(failureAt('renewal', new RenewalHeld('cooling_down', 'Earlier failure.'))).toMatchObject({
      change: 'kept',
      message: 'Earlier failure.',
    });
  });

  it("at renewal, a kind's own finding and a moved destination are lost grants; a refused setting is the administrator's", () => {
    expect(failureAt('renewal', new GrantUnusable('token_endpoint_changed'))).toMatchObject({
      change: 'reauthorization_required',
      reason: 'token_endpoint_changed',
    });
    expect(failureAt('renewal', new HitchError('reauthorization_required', { message: 'moved' }))).toMatchObject({
      change: 'reauthorization_required',
      reason: 'destination_changed',
      message: 'moved',
    });
    expect(failureAt('renewal', invalidField('parameters', 'bad'))).toMatchObject({
      change: 'error',
      reason: 'validation_failed',
    });
    expect(failureAt('renewal', new HitchError('upstream_timeout'))).toMatchObject({
      change: 'kept',
      reason: 'upstream_timeout',
    });
  });

  it('at renewal, a bug is no operational failure: null, so it surfaces as itself', () => {
    expect(failureAt('renewal', new TypeError('x is undefined'))).toBeNull();
  });

  it('at the callback, access_denied is the person saying no (400), a service error a 502, a failed check a 400', () => {
    expect(
      failureAt('authorization_response', oauth('rejected', 'access_denied', { description: 'no thanks' })),
    ).toMatchObject({ code: 'oauth_denied', status: 400, message: 'Access was not granted at the service: no thanks' });
    expect(failureAt('authorization_response', oauth('rejected', 'server_error'))).toMatchObject({
      code: 'oauth_failed',
      status: 502,
    });
    expect(
      failureAt('authorization_response', oauth('invalid_callback', 'issuer_mismatch'), { issuerKnown: true })?.message,
    ).toMatch(/did not pass Hitch's checks \(issuer_mismatch\)/);
    expect(
      failureAt('authorization_response', oauth('invalid_callback', 'issuer_mismatch'), { issuerKnown: false })
        ?.message,
    ).toMatch(/another authorization server/);
  });

  it('at the code exchange, invalid_client asks to check the client; a token refused at once is a 502', () => {
    expect(failureAt('code_exchange', oauth('rejected', 'invalid_client'))?.message).toMatch(
      /check the Client ID and Client Secret/,
    );
    expect(failureAt('code_exchange', oauth('rejected', 'invalid_grant'))).toMatchObject({ code: 'oauth_rejected' });
    expect(failureAt('code_exchange', oauth('transient', 'timeout'))).toMatchObject({ code: 'oauth_failed' });
    expect(failureAt('code_exchange', new VerifyRefused(401, 'refused'))).toMatchObject({ code: 'oauth_failed' });
    const mismatch = new HitchError('account_mismatch');
    expect(failureAt('code_exchange', mismatch)).toBe(mismatch);
  });

  it('at acceptance, a refusal is credentials_rejected with the secrets cut out; a transient fault oauth_failed', () => {
    const redact = (text: string) => text.split('s3cret').join('[redacted]');
    const refused = failureAt('acceptance', new VerifyRefused(401, 'refused', 'bad key s3cret'), {
      words: 'this key',
      redact,
    });
    expect(refused).toMatchObject({ code: 'credentials_rejected', status: 422 });
    expect(refused?.message).toBe(
      'The service refused this key (HTTP 401): "bad key [redacted]". Check this key and try again.',
    );
    expect(
      failureAt('acceptance', oauth('rejected', 'invalid_client'), { words: 'this OAuth client' })?.message,
    ).toMatch(/^The service refused this OAuth client \(invalid_client\)/);
    expect(failureAt('acceptance', oauth('transient', 'timeout'))).toMatchObject({ code: 'oauth_failed' });
    // A key's verify request to a refused address is told as it is (the SSRF suite expects network_blocked).
    expect(failureAt('acceptance', new HitchError('network_blocked'), { renewable: false })).toBeNull();
  });

  it('at verify, a refusal needs a person: a key is entered again, an OAuth connection reauthorized', () => {
    expect(failureAt('verify', new VerifyRefused(401, 'no'), { renewable: false })).toMatchObject({
      change: 'reauthorization_required',
      message: 'The service no longer accepts this key: enter a new one.',
    });
    expect(failureAt('verify', new VerifyRefused(403, 'no'), { renewable: true })?.message).toBe(
      'The service no longer accepts this connection: reauthorize it.',
    );
    expect(failureAt('verify', new HitchError('upstream_timeout'))).toMatchObject({
      change: 'none',
      reason: 'upstream_timeout',
    });
  });
});
