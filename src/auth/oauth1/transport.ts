import { isHitchError } from '../../errors.ts';
import type { Outbound, PlacedSignature } from '../../outbound/types.ts';
import { OAuthProtocolError } from '../oauth2/errors.ts';
import { Redactor } from '../redaction.ts';

/**
 * How the OAuth 1.0a steps reach the service: one signed request (POST, as the
 * RFC says, unless the service says GET) through the
 * outbound client (its signature placed by the one injector), no redirect
 * followed, and the form-encoded answer read. Failures are OAuthProtocolErrors,
 * in the same families as OAuth 2.0's, so one table reads both.
 */

/** The OAuth Problem Reporting extension's `oauth_problem` values, read as the OAuth 2.0 codes they mean. */
const PROBLEMS: Record<string, string> = {
  consumer_key_unknown: 'invalid_client',
  consumer_key_rejected: 'invalid_client',
  consumer_key_refused: 'invalid_client',
  signature_invalid: 'invalid_client',
  signature_method_rejected: 'invalid_client',
  token_used: 'invalid_grant',
  token_expired: 'invalid_grant',
  token_revoked: 'invalid_grant',
  token_rejected: 'invalid_grant',
  permission_denied: 'access_denied',
  user_refused: 'access_denied',
};

/** A short plain-text answer is the service's own words; HTML and long bodies are not. */
function wordsOf(body: string, answer: URLSearchParams): string | undefined {
  const advice = answer.get('oauth_problem_advice') ?? answer.get('oauth_problem');
  if (advice) return advice.slice(0, 300);
  const text = body.trim();
  return text && text.length <= 300 && !/[<>]/.test(text) ? text : undefined;
}

/**
 * Calls an OAuth 1.0a endpoint and returns its form-encoded answer. `refused`
 * is what a 4xx without an `oauth_problem` means at this step: the client
 * (§2.1) or the temporary credentials and verifier (§2.3).
 */
export async function callSigned(
  outbound: Outbound,
  input: {
    endpoint: string;
    url: string;
    method: 'POST' | 'GET' | undefined;
    signature: PlacedSignature;
    refused: 'invalid_client' | 'invalid_grant';
  },
): Promise<URLSearchParams> {
  const { endpoint } = input;
  let response;
  try {
    response = await outbound.request({
      url: input.url,
      method: input.method ?? 'POST',
      headers: { accept: 'application/x-www-form-urlencoded, text/plain, */*' },
      credentials: [input.signature],
      maxRedirects: 0,
    });
  } catch (error) {
    if (isHitchError(error) && (error.code === 'upstream_timeout' || error.code === 'upstream_unreachable')) {
      throw new OAuthProtocolError({
        kind: 'transient',
        error: error.code === 'upstream_timeout' ? 'timeout' : 'network_error',
        message: `The ${endpoint} could not be reached.`,
        answered: false,
        cause: error,
      });
    }
    throw error;
  }
  const body = response.text();
  const answer = new URLSearchParams(body);
  const status = response.status;
  if (status >= 200 && status < 300) return answer;

  // The service may quote the request back: none of what the signature holds reaches a message.
  const redactor = new Redactor();
  redactor.addSecrets(input.signature.secrets);
  const said = wordsOf(body, answer);
  const description = said === undefined ? undefined : redactor.text(said);
  if (status >= 500 || status === 429) {
    throw new OAuthProtocolError({
      kind: 'transient',
      error: status === 429 ? 'temporarily_unavailable' : 'server_error',
      message: `The ${endpoint} is unavailable (HTTP ${status}).`,
      description,
      status,
      answered: true,
    });
  }
  if (status >= 400) {
    const problem = answer.get('oauth_problem') || undefined;
    const error = (problem && PROBLEMS[problem]) ?? problem ?? input.refused;
    throw new OAuthProtocolError({
      kind: 'rejected',
      error,
      message: `The ${endpoint} refused the request (HTTP ${status}).`,
      description,
      status,
      answered: true,
    });
  }
  throw malformed(endpoint, `unexpected HTTP status ${status}.`, status);
}

/** The endpoint answered, but not as RFC 5849 says. */
export function malformed(endpoint: string, reason: string, status?: number): OAuthProtocolError {
  return new OAuthProtocolError({
    kind: 'malformed',
    error: 'invalid_response',
    message: `The ${endpoint} sent an answer that is not a valid OAuth 1.0a response: ${reason}`,
    status,
    answered: true,
  });
}

/** `oauth_token` and `oauth_token_secret` of an answer (§2.1, §2.3), or a malformed-answer error. */
export function credentialsOf(endpoint: string, answer: URLSearchParams): { token: string; tokenSecret: string } {
  const token = answer.get('oauth_token');
  const tokenSecret = answer.get('oauth_token_secret');
  if (!token || tokenSecret === null) throw malformed(endpoint, 'oauth_token or oauth_token_secret is missing.');
  return { token, tokenSecret };
}
