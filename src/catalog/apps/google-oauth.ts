import type { AppInput } from '../schema.ts';
import type { OAuth2KindInput as OAuth2Kind } from './types.ts';

type JwtKind = Extract<AppInput['connections'][number], { type: 'jwt' }>;

/** Google's OAuth 2.0 for web server applications: endpoints, offline access and the refresh-token quirk. */
export const GOOGLE_AUTH_DOCS = 'https://developers.google.com/identity/protocols/oauth2/web-server';
/** Google's list of every API's scopes, each with what it allows. */
export const GOOGLE_SCOPES_DOCS = 'https://developers.google.com/identity/protocols/oauth2/scopes';

/** Service accounts: the JWT bearer grant at Google's token endpoint, its claims and the key file. */
export const GOOGLE_SERVICE_ACCOUNT_DOCS = 'https://developers.google.com/identity/protocols/oauth2/service-account';
/** Why a refresh token stops working: six months unused, or seven days for an app in Testing. */
export const GOOGLE_REFRESH_EXPIRY_DOCS = 'https://developers.google.com/identity/protocols/oauth2#expiration';

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
    // Six months unused (taken as 180 days, so the keep-alive comes early); 7 days, not extended, for a Testing app.
    grantLifetime: {
      idleDays: 180,
      absoluteDays: 7,
      absoluteWhen: 'clientInTesting',
      extendsOnRefresh: false,
      docsUrl: GOOGLE_REFRESH_EXPIRY_DOCS,
    },
    parameters: [
      {
        name: 'clientInTesting',
        label: 'OAuth client in Testing',
        type: 'boolean',
        advanced: true,
        default: false,
        help: 'Your own OAuth client’s consent screen is External and in “Testing”: Google then ends its authorizations after 7 days.',
      },
    ],
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

/**
 * A Google service account, below `baseUrl`: Hitch signs an RS256 assertion with
 * the account's key (`iss` its email, `aud` the token endpoint, `scope` the
 * scopes, at most an hour) and exchanges it at Google's token endpoint, which is
 * always this one: the key file's `token_uri` is never read. `sub` names a
 * Workspace user to act for, with domain-wide delegation.
 */
export function googleServiceAccount(baseUrl: string): JwtKind {
  return {
    type: 'jwt',
    flow: 'assertion',
    tokenUrl: 'https://oauth2.googleapis.com/token',
    claims: { iss: '{{clientEmail}}', sub: '{{subject}}', aud: 'https://oauth2.googleapis.com/token' },
    algorithm: 'RS256',
    keyId: '{{privateKeyId}}',
    assertionLifetimeSeconds: 3600,
    scopeIn: 'claims',
    baseUrl,
    parameters: [
      {
        name: 'keyFile',
        label: 'Service account key file (JSON)',
        type: 'file',
        help: 'The JSON key Google gave you; Hitch reads the account, key and key ID from it in your browser.',
        fills: { client_email: 'clientEmail', private_key: 'privateKey', private_key_id: 'privateKeyId' },
      },
      {
        name: 'clientEmail',
        label: 'Service account email',
        required: true,
        pattern: '[^@\\s]+@[^@\\s]+\\.iam\\.gserviceaccount\\.com',
      },
      { name: 'privateKey', label: 'Private key', type: 'password', secret: true, required: true },
      { name: 'privateKeyId', label: 'Private key ID', advanced: true },
      {
        name: 'subject',
        label: 'Act as user',
        advanced: true,
        help: 'A Google Workspace user’s email, when the account has domain-wide delegation.',
      },
    ],
  };
}
