/**
 * The OAuth 2.0 protocol steps Hitch uses, one function per step, built on
 * oauth4webapi. No storage, no connection lifecycle: src/connections builds on these.
 */
export { defineAuthorizationServer, discover, type AuthorizationServer } from './authorization-server.ts';
export { CLIENT_AUTH_METHODS, type ClientAuthMethod, type ClientContext, type OAuthClient } from './client.ts';
export { createPkce, calculateCodeChallenge, type Pkce } from './pkce.ts';
export {
  buildAuthorizationUrl,
  joinScopes,
  type ScopeSeparator,
  RESERVED_AUTHORIZATION_PARAMETERS,
  type AuthorizationRequest,
} from './authorization-request.ts';
export {
  validateAuthorizationResponse,
  type AuthorizationResponse,
  type AuthorizationResponseInput,
} from './authorization-response.ts';
export { exchangeAuthorizationCode, type AuthorizationCodeGrantInput } from './authorization-code-grant.ts';
export { refreshTokenGrant, type RefreshTokenGrantInput } from './refresh-token-grant.ts';
export { clientCredentialsGrant, type ClientCredentialsGrantInput } from './client-credentials-grant.ts';
export { tokenExchangeGrant, TOKEN_EXCHANGE_GRANT_TYPE, type TokenExchangeGrantInput } from './token-exchange-grant.ts';
export { longLivedTokenRequest, type LongLivedTokenRequestInput } from './long-lived-token.ts';
export { revokeToken, type RevocationInput } from './revocation.ts';
export { splitScopes, type TokenSet, type TokenResponseOptions } from './token-response.ts';
export type { TokenRequestInput } from './token-request.ts';
export { EXPIRY_UNITS, type ExpiryUnit, type TokenExpiry } from './token-expiry.ts';
export { DEFAULT_TIMEOUT_MS, type ProtocolOptions } from './transport.ts';
export {
  isOAuthProtocolError,
  OAUTH_LOCAL_ERRORS,
  OAuthProtocolError,
  type OAuthErrorKind,
  type OAuthProtocolErrorInit,
} from './errors.ts';
