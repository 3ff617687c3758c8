import type { OAuth2KindInput as OAuth2Kind } from './types.ts';

/** Google's OAuth 2.0 for web server applications: endpoints, offline access and the refresh-token quirk. */
export const GOOGLE_AUTH_DOCS = 'https://developers.google.com/identity/protocols/oauth2/web-server';
/** Google's list of every API's scopes, each with what it allows. */
export const GOOGLE_SCOPES_DOCS = 'https://developers.google.com/identity/protocols/oauth2/scopes';

/** Asked of every Google connection so the verify request can name the account. */
export const googleIdentityScopes = [
  { name: 'openid', description: 'Confirm who you are on Google.' },
  { name: 'email', description: 'See the primary email address of your Google Account.' },
];

/**
 * The Google OAuth 2.0 connection shared by the Google apps, below `baseUrl`.
 * `access_type=offline` is what makes Google return a refresh token, and
 * `prompt=consent` makes it return one again on reauthorization (otherwise it
 * only does so the first time a person consents).
 */
export function googleConnection(baseUrl: string): OAuth2Kind {
  return {
    type: 'oauth2',
    authorizeUrl: 'https://accounts.google.com/o/oauth2/v2/auth',
    tokenUrl: 'https://oauth2.googleapis.com/token',
    revokeUrl: 'https://oauth2.googleapis.com/revoke',
    scopeSeparator: ' ',
    baseScopes: ['openid', 'email'],
    pkce: true,
    clientAuth: 'client_secret_post',
    authorizeParameters: { access_type: 'offline', prompt: 'consent' },
    baseUrl,
    verify: {
      url: 'https://openidconnect.googleapis.com/v1/userinfo',
      accountId: ['sub'],
      accountLabel: ['email', 'sub'],
    },
  };
}

/** The userinfo endpoint lives on its own host; it receives the token for the verify request. */
export const GOOGLE_USERINFO_HOST = 'openidconnect.googleapis.com';
