import { timingSafeEqual } from 'node:crypto';
import * as oauth from 'oauth4webapi';
import type { AuthorizationServer } from './authorization-server.ts';
import { toAuthorizationServer, toClient, type OAuthClient } from './client.ts';
import { OAuthProtocolError } from './errors.ts';

export interface AuthorizationResponseInput {
  server: AuthorizationServer;
  client: Pick<OAuthClient, 'clientId'>;
  /** The query of the request that reached the callback. */
  callbackParameters: URLSearchParams;
  /** The state this flow sent. */
  expectedState: string;
  /** The issuer this flow's server must report; default `server.issuer`. */
  expectedIssuer?: string | undefined;
  /**
   * The parameter that carries the code, when the service does not call it `code`
   * (Amazon's Selling Partner API sends `spapi_oauth_code`). Default `code`.
   */
  codeParameter?: string;
}

export interface AuthorizationResponse {
  code: string;
  /** `iss` as received (already checked when an issuer is known). */
  iss: string | undefined;
  /** The other parameters the service added (QuickBooks' `realmId`, Shopify's `shop`…). */
  extraParameters: Record<string, string>;
}

const PROTOCOL_PARAMETERS = new Set([
  'code',
  'state',
  'iss',
  'error',
  'error_description',
  'error_uri',
  'session_state',
]);

/**
 * Checks the authorization response before any code is exchanged, in this order:
 * no duplicated parameters; `state` equals the flow's (compared in constant time);
 * RFC 9207 — when the issuer is known, an `iss` must equal it, and must be present
 * if the server advertises `authorization_response_iss_parameter_supported`; then an
 * `error` answer (`access_denied`…) becomes a `rejected` OAuthProtocolError; last, a
 * `code` must be there. With no known issuer, an `iss` must name the origin of the
 * authorization endpoint (the mix-up defence left when the issuer is unknown).
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2
 * @see https://www.rfc-editor.org/rfc/rfc9207#section-2.4
 */
export function validateAuthorizationResponse(input: AuthorizationResponseInput): AuthorizationResponse {
  return checkAuthorizationResponse(input).response;
}

/** Also returns the parameters in the form oauth4webapi's code grant insists on. */
export function checkAuthorizationResponse(input: AuthorizationResponseInput): {
  response: AuthorizationResponse;
  validated: URLSearchParams;
} {
  const { server, client, expectedState } = input;
  if (!(input.callbackParameters instanceof URLSearchParams))
    throw new TypeError('callbackParameters must be URLSearchParams.');
  if (typeof expectedState !== 'string' || expectedState === '') throw new TypeError('expectedState is required.');
  const params = withCodeUnderItsName(input.callbackParameters, input.codeParameter);

  for (const name of PROTOCOL_PARAMETERS) {
    if (params.getAll(name).length > 1) {
      throw callbackError('duplicate_parameter', `The authorization response repeats the "${name}" parameter.`);
    }
  }

  const state = params.get('state');
  if (state === null || !sameSecret(state, expectedState)) {
    throw callbackError('state_mismatch', 'The authorization response does not carry the state this flow sent.');
  }

  const expectedIssuer = input.expectedIssuer ?? server.issuer;
  const iss = params.get('iss') ?? undefined;
  const forOauth4 = new URLSearchParams(params);
  if (expectedIssuer !== undefined) {
    if (iss !== undefined && iss !== expectedIssuer) {
      throw callbackError(
        'issuer_mismatch',
        'The authorization response comes from a different authorization server than the one this flow started at.',
      );
    }
    if (iss === undefined && server.authorization_response_iss_parameter_supported === true) {
      throw callbackError(
        'issuer_missing',
        'The authorization response lacks the "iss" parameter its server promises to send.',
      );
    }
  } else {
    // A server typed in without its issuer cannot be checked by RFC 9207 alone; an `iss` it sends
    // must at least name the origin the person was sent to, or a mix-up would pass unnoticed.
    if (iss !== undefined && originOf(iss) !== originOf(server.authorization_endpoint)) {
      throw callbackError(
        'issuer_mismatch',
        'The authorization response names another authorization server than the one the person was sent to.',
      );
    }
    forOauth4.delete('iss');
  }

  const error = params.get('error');
  if (error !== null) {
    throw new OAuthProtocolError({
      kind: 'rejected',
      error,
      message:
        error === 'access_denied'
          ? 'Access was not granted at the service.'
          : `The service refused the authorization: ${error}.`,
      description: params.get('error_description') ?? undefined,
      answered: true,
    });
  }

  const code = params.get('code');
  if (code === null || code === '') throw callbackError('code_missing', 'The authorization response carries no code.');

  let validated: URLSearchParams;
  try {
    validated = oauth.validateAuthResponse(
      { ...toAuthorizationServer(server), ...(expectedIssuer === undefined ? {} : { issuer: expectedIssuer }) },
      toClient({ clientId: client.clientId, clientSecret: '' }),
      forOauth4,
      expectedState,
    );
  } catch (cause) {
    // Everything oauth4webapi checks was checked above; this is a safety net.
    throw callbackError(
      'invalid_authorization_response',
      `The authorization response is not valid: ${cause instanceof Error ? cause.message : 'unknown reason'}.`,
    );
  }

  const extraParameters: Record<string, string> = {};
  for (const [name, value] of params) if (!PROTOCOL_PARAMETERS.has(name)) extraParameters[name] = value;
  return { response: { code, iss, extraParameters }, validated };
}

/**
 * The answer with the code moved to `code`, for a service that names it otherwise: a `code`
 * beside it is not the service's (a person can add parameters to the address), so it is dropped.
 */
function withCodeUnderItsName(params: URLSearchParams, codeParameter: string | undefined): URLSearchParams {
  if (codeParameter === undefined || codeParameter === 'code') return params;
  if (params.getAll(codeParameter).length > 1)
    throw callbackError('duplicate_parameter', `The authorization response repeats the "${codeParameter}" parameter.`);
  const renamed = new URLSearchParams();
  for (const [name, value] of params) if (name !== 'code' && name !== codeParameter) renamed.append(name, value);
  const code = params.get(codeParameter);
  if (code !== null) renamed.set('code', code);
  return renamed;
}

function callbackError(error: string, message: string): OAuthProtocolError {
  return new OAuthProtocolError({ kind: 'invalid_callback', error, message, answered: true });
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function originOf(url: string | undefined): string | null {
  return url !== undefined && URL.canParse(url) ? new URL(url).origin : null;
}
