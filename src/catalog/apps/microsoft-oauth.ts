import type { OAuth2KindInput as OAuth2Kind } from './types.ts';

/** The Microsoft identity platform's authorization code flow (v2.0 endpoints, tenants, offline_access). */
export const MICROSOFT_AUTH_DOCS = 'https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-auth-code-flow';
/** Microsoft Graph's permissions reference: every delegated permission and what it allows. */
export const MICROSOFT_SCOPES_DOCS = 'https://learn.microsoft.com/en-us/graph/permissions-reference';

/** Asked of every Microsoft connection: a refresh token, and the profile the verify request reads. */
export const microsoftBaseScopes = [
  {
    name: 'offline_access',
    description: 'Keep access to the data you granted while you are not using Hitch (a refresh token).',
  },
  { name: 'User.Read', description: 'Sign you in and read your profile.' },
];

/**
 * The Microsoft identity platform connection shared by the Microsoft 365 apps,
 * calling Microsoft Graph v1.0. The tenant decides who may sign in: `common`
 * (work, school and personal accounts), `organizations`, `consumers`, or one
 * directory by its ID or domain.
 */
export function microsoftConnection(): OAuth2Kind {
  return {
    type: 'oauth2',
    authorizeUrl: 'https://login.microsoftonline.com/{{tenant}}/oauth2/v2.0/authorize',
    tokenUrl: 'https://login.microsoftonline.com/{{tenant}}/oauth2/v2.0/token',
    scopeSeparator: ' ',
    baseScopes: ['offline_access', 'User.Read'],
    pkce: true,
    clientAuth: 'client_secret_post',
    authorizeParameters: { response_mode: 'query' },
    // 90 days, and each refresh brings a new refresh token with its own 90 days.
    grantLifetime: {
      idleDays: 90,
      extendsOnRefresh: true,
      docsUrl: 'https://learn.microsoft.com/en-us/entra/identity-platform/refresh-tokens',
    },
    baseUrl: 'https://graph.microsoft.com/v1.0',
    verify: { url: '/me', accountId: ['id'], accountLabel: ['userPrincipalName', 'mail', 'displayName'] },
    parameters: [
      {
        name: 'tenant',
        label: 'Tenant',
        advanced: true,
        default: 'common',
        pattern:
          '^(common|organizations|consumers|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)+)$',
        help: '`common` for any account, `organizations` for work or school accounts only, `consumers` for personal accounts only, or your directory’s ID or domain (e.g. contoso.onmicrosoft.com).',
      },
    ],
  };
}
