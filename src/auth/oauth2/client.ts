import * as oauth from 'oauth4webapi';
import type { AuthorizationServer } from './authorization-server.ts';

/** A confidential OAuth 2.0 client registered at the service. */
export interface OAuthClient {
  clientId: string;
  clientSecret: string;
}

/**
 * How the client proves itself at the token and revocation endpoints.
 * `client_secret_basic` form-encodes id and secret before Base64, as RFC 6749 §2.3.1
 * says; a service that expects them raw fails for secrets with reserved characters.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-2.3.1
 */
export type ClientAuthMethod = 'client_secret_post' | 'client_secret_basic';

export const CLIENT_AUTH_METHODS: readonly ClientAuthMethod[] = ['client_secret_post', 'client_secret_basic'];

/** What every step that talks to the token or revocation endpoint needs. */
export interface ClientContext {
  server: AuthorizationServer;
  client: OAuthClient;
  clientAuth: ClientAuthMethod;
}

/**
 * oauth4webapi wants an issuer. When the app does not know it, a placeholder that no
 * response can carry stands in: `iss` is then removed before oauth4webapi sees it
 * (see authorization-response.ts), and ID tokens are not validated (token-response.ts).
 */
const UNKNOWN_ISSUER = 'urn:hitch:issuer-unknown';

export function toAuthorizationServer(server: AuthorizationServer): oauth.AuthorizationServer {
  return { ...server, issuer: server.issuer ?? UNKNOWN_ISSUER };
}

export function toClient(client: OAuthClient): oauth.Client {
  if (typeof client.clientId !== 'string' || client.clientId === '')
    throw new TypeError('The OAuth client needs a client id.');
  return { client_id: client.clientId };
}

export function toClientAuth(client: OAuthClient, method: ClientAuthMethod): oauth.ClientAuth {
  if (typeof client.clientSecret !== 'string' || client.clientSecret === '') {
    throw new TypeError('The OAuth client needs a client secret.');
  }
  switch (method) {
    case 'client_secret_post':
      return oauth.ClientSecretPost(client.clientSecret);
    case 'client_secret_basic':
      return oauth.ClientSecretBasic(client.clientSecret);
    default:
      throw new TypeError(`Unknown client authentication method: ${String(method)}.`);
  }
}
