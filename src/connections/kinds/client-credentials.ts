import { resolveOAuth2, type OAuth2Settings } from '../../catalog/resolve.ts';
import type { ConnectionSecrets } from '../model.ts';
import type { ConnectionKind, RenewedTokens } from './kind.ts';
import { placeAccessToken, revokeGrant, type OAuth2Protocol, type TokenResult } from './oauth2.ts';

/** A token answer as the secrets a client-credentials connection keeps: no refresh token, the grant is run again instead. */
export function clientCredentialsTokens(tokens: TokenResult, previous: ConnectionSecrets, now: number): RenewedTokens {
  return {
    secrets: {
      parameters: previous.parameters,
      ...(previous.destinations ? { destinations: previous.destinations } : {}),
      accessToken: tokens.accessToken,
      ...(tokens.tokenType ? { tokenType: tokens.tokenType } : {}),
    },
    expiresAt: tokens.expiresInSeconds !== undefined ? now + tokens.expiresInSeconds * 1000 : null,
    ...(tokens.scopes ? { scopes: tokens.scopes } : {}),
  };
}

/**
 * OAuth 2.0 without a person (the client-credentials grant, RFC 6749 §4.4): a
 * flow of the `oauth2` type, set by the app or per connection by the generic
 * app's `{{flow}}` parameter. Accepted when the token endpoint issues a token;
 * renewed by running the grant again.
 */
export function clientCredentialsKind(protocol: OAuth2Protocol): ConnectionKind<OAuth2Settings> {
  return {
    type: 'oauth2',
    flow: 'client_credentials',
    words: 'this OAuth client',
    resolve: (app, definition, input) => {
      if (definition.type !== 'oauth2')
        throw new TypeError(`client credentials cannot resolve a ${definition.type} kind`);
      return resolveOAuth2(
        app,
        definition,
        { values: input.values, data: input.learned, secrets: input.secrets },
        input.platform,
      );
    },
    prepare: (settings) => protocol.complete(settings),
    place: placeAccessToken,

    async accept(settings, input) {
      const tokens = await protocol.clientCredentials(settings, input.scopes);
      const renewed = clientCredentialsTokens(tokens, { parameters: input.secrets }, Date.now());
      const clientId = settings.client?.clientId;
      return {
        ...renewed,
        scopes: renewed.scopes ?? input.scopes,
        account: clientId ? { id: clientId, label: clientId } : null,
        verified: true,
      };
    },

    async renew(settings, secrets, connection) {
      const tokens = await protocol.clientCredentials(settings, connection.scopes);
      return clientCredentialsTokens(tokens, secrets, Date.now());
    },

    revoke: (settings, secrets) => revokeGrant(protocol, settings, secrets),
  };
}
