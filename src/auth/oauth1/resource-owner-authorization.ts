import { OAuthProtocolError } from '../oauth2/errors.ts';

/**
 * RFC 5849 §2.2: the person is sent to the service with the temporary token,
 * and comes back to the callback with it and a verifier.
 *
 * @see https://www.rfc-editor.org/rfc/rfc5849#section-2.2
 */
export function buildAuthorizationUrl(
  authorizeUrl: string,
  temporaryToken: string,
  parameters: Readonly<Record<string, string>> = {},
): string {
  const url = new URL(authorizeUrl);
  for (const [name, value] of Object.entries(parameters)) url.searchParams.set(name, value);
  url.searchParams.set('oauth_token', temporaryToken);
  return url.toString();
}

const invalidCallback = (error: string, message: string) =>
  new OAuthProtocolError({ kind: 'invalid_callback', error, message, answered: true });

/**
 * The callback's query checked (§2.2): a person who declined (`denied`, as X and
 * others send it), then the verifier. When the temporary token is known, the one
 * that came back must be it.
 */
export function validateAuthorizationCallback(query: URLSearchParams, temporaryToken?: string): string {
  if (query.has('denied'))
    throw new OAuthProtocolError({
      kind: 'rejected',
      error: 'access_denied',
      message: 'The person declined at the service.',
      answered: true,
    });
  const verifier = query.get('oauth_verifier');
  if (!verifier) throw invalidCallback('verifier_missing', 'The callback carries no oauth_verifier.');
  if (temporaryToken !== undefined && query.get('oauth_token') !== temporaryToken)
    throw invalidCallback('token_mismatch', 'The callback is for another request token.');
  return verifier;
}
