import * as oauth from 'oauth4webapi';
import { invalidResponse } from './errors.ts';
import { failureOf, jsonResponse, readResponse, send, toFetchOptions, type ProtocolOptions } from './transport.ts';

/**
 * What Hitch knows of an authorization server: RFC 8414 metadata, with the wire names.
 * Built from an app's explicit endpoints (`defineAuthorizationServer`) or from
 * OpenID Connect / RFC 8414 discovery (`discover`).
 *
 * @see https://www.rfc-editor.org/rfc/rfc8414#section-2
 */
export interface AuthorizationServer {
  /**
   * The issuer identifier. When known, an `iss` in the authorization response must
   * equal it (RFC 9207). When unknown, `iss` cannot be checked: a server typed in by
   * a person without its issuer is not protected against mix-up by `iss`.
   */
  issuer?: string;
  authorization_endpoint: string;
  token_endpoint: string;
  revocation_endpoint?: string;
  userinfo_endpoint?: string;
  introspection_endpoint?: string;
  /** RFC 9207 §3: when true, a response without `iss` is refused. */
  authorization_response_iss_parameter_supported?: boolean;
  code_challenge_methods_supported?: string[];
  scopes_supported?: string[];
}

const URL_FIELDS = [
  'issuer',
  'authorization_endpoint',
  'token_endpoint',
  'revocation_endpoint',
  'userinfo_endpoint',
  'introspection_endpoint',
] as const;

/** Checks explicit metadata (absolute http(s) URLs) and returns a frozen copy. */
export function defineAuthorizationServer(metadata: AuthorizationServer): Readonly<AuthorizationServer> {
  for (const field of URL_FIELDS) {
    const value = metadata[field];
    if (value === undefined) {
      if (field === 'authorization_endpoint' || field === 'token_endpoint') {
        throw new TypeError(`The authorization server's ${field} is required.`);
      }
      continue;
    }
    const url = URL.canParse(value) ? new URL(value) : undefined;
    if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
      throw new TypeError(`The authorization server's ${field} must be an absolute http(s) URL.`);
    }
  }
  return Object.freeze({ ...metadata });
}

/**
 * Reads the server's metadata from `/.well-known/openid-configuration`, falling back to
 * RFC 8414's `/.well-known/oauth-authorization-server`; the document's `issuer` must
 * equal `issuer`.
 *
 * @see https://openid.net/specs/openid-connect-discovery-1_0.html#ProviderConfig
 * @see https://www.rfc-editor.org/rfc/rfc8414#section-3
 */
export async function discover(issuer: string | URL, options: ProtocolOptions): Promise<Readonly<AuthorizationServer>> {
  const issuerUrl = new URL(issuer);
  const endpoint = 'discovery document';
  let response: Response | undefined;
  for (const algorithm of ['oidc', 'oauth2'] as const) {
    response = await send(endpoint, () => oauth.discoveryRequest(issuerUrl, { ...toFetchOptions(options), algorithm }));
    if (response.status !== 404) break;
    await response.body?.cancel();
  }
  const answer = await readResponse(endpoint, response!);
  const failure = failureOf(endpoint, answer, (status) => status === 200);
  if (failure) throw failure;
  if (!answer.body) throw invalidResponse(endpoint, 'it is not a JSON object.', answer.status);
  let metadata: oauth.AuthorizationServer;
  try {
    metadata = await oauth.processDiscoveryResponse(issuerUrl, jsonResponse(answer.body));
  } catch (error) {
    throw invalidResponse(endpoint, error instanceof Error ? error.message : 'unreadable.', answer.status);
  }
  if (typeof metadata.authorization_endpoint !== 'string' || typeof metadata.token_endpoint !== 'string') {
    throw invalidResponse(endpoint, 'it names no authorization_endpoint or token_endpoint.', answer.status);
  }
  const pick = (key: keyof AuthorizationServer): Partial<AuthorizationServer> =>
    metadata[key] === undefined ? {} : { [key]: metadata[key] };
  return defineAuthorizationServer({
    issuer: metadata.issuer,
    authorization_endpoint: metadata.authorization_endpoint,
    token_endpoint: metadata.token_endpoint,
    ...pick('revocation_endpoint'),
    ...pick('userinfo_endpoint'),
    ...pick('introspection_endpoint'),
    ...pick('authorization_response_iss_parameter_supported'),
    ...pick('code_challenge_methods_supported'),
    ...pick('scopes_supported'),
  });
}
