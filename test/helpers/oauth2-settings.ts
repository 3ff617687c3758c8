import type { OAuth2Settings } from '../../src/catalog/resolve.ts';

/** The client secret of `settings()`'s own client. */
export const CLIENT_SECRET = 'client-secret-0123456789abcdef';

/** OAuth 2.0 settings as resolved from a catalog kind: an authorization-code app with its own client. */
export function settings(overrides: Partial<OAuth2Settings>): OAuth2Settings {
  return {
    flow: 'authorization_code',
    authorizeUrl: 'https://idp.example/authorize',
    tokenUrl: undefined,
    refreshUrl: undefined,
    formerTokenUrls: [],
    revokeUrl: undefined,
    issuer: undefined,
    scopeSeparator: ' ',
    scopeParameter: 'scope',
    codeParameter: 'code',
    baseScopes: [],
    pkce: true,
    clientAuth: 'client_secret_post',
    authorizeParameters: {},
    tokenParameters: {},
    refreshParameters: {},
    tokenHeaders: {},
    tokenRequestBody: 'form',
    tokenPath: undefined,
    defaultExpiresInSeconds: undefined,
    tokenExpiry: { member: 'expires_in', unit: 'seconds' },
    keepFromTokenResponse: [],
    keepFromCallback: [],
    placement: { in: 'header', headerName: 'Authorization', headerPrefix: 'Bearer', queryName: 'access_token' },
    baseUrl: undefined,
    lookup: undefined,
    longLivedToken: undefined,
    verify: undefined,
    client: { clientId: 'hitch-client', clientSecret: CLIENT_SECRET, own: true },
    ...overrides,
  };
}
