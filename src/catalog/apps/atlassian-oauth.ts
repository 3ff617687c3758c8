import type { OAuth2KindInput } from './types.ts';

/** Atlassian Cloud's OAuth 2.0 (3LO) apps: the audience, consent prompt, cloud id and rotating refresh tokens. */
export const ATLASSIAN_AUTH_DOCS = 'https://developer.atlassian.com/cloud/jira/platform/oauth-2-3lo-apps/';

/** Asked of every Atlassian connection: a refresh token, and the identity the verify request reads. */
export const atlassianBaseScopes = [
  { name: 'offline_access', description: 'Keep access while you are not using Hitch (a refresh token).' },
  { name: 'read:me', description: 'See your Atlassian account’s name, email and picture.' },
];

/**
 * The Atlassian connection shared by Jira and Confluence. Requests go through
 * api.atlassian.com to one site, named by its cloud ID, which Hitch asks for
 * right after consent: accessible-resources lists the sites the token may use,
 * each with its cloud ID as `id`; with several, the person picks one
 * (https://developer.atlassian.com/cloud/oauth/getting-started/making-calls-to-api/).
 * A cloud ID given as a parameter (existing connections, API clients) is kept.
 * Without `offline_access` no refresh token is returned; refresh tokens rotate.
 */
export function atlassianConnection(product: 'jira' | 'confluence'): OAuth2KindInput {
  return {
    type: 'oauth2',
    authorizeUrl: 'https://auth.atlassian.com/authorize',
    tokenUrl: 'https://auth.atlassian.com/oauth/token',
    scopeSeparator: ' ',
    baseScopes: ['offline_access', 'read:me'],
    authorizeParameters: { audience: 'api.atlassian.com', prompt: 'consent' },
    baseUrl: `https://api.atlassian.com/ex/${product}/{{cloudId}}`,
    verify: { url: 'https://api.atlassian.com/me', accountId: ['account_id'], accountLabel: ['email', 'name'] },
    lookup: {
      url: 'https://api.atlassian.com/oauth/token/accessible-resources',
      values: { cloudId: 'id' },
      label: ['name', 'url'],
      prompt: 'Choose the Atlassian site this connection uses.',
    },
    parameters: [
      {
        name: 'cloudId',
        label: 'Site cloud ID',
        advanced: true,
        pattern: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$',
        help: 'Leave empty to choose your site after signing in; or the ID of your Atlassian site: open https://<your-site>.atlassian.net/_edge/tenant_info and copy cloudId.',
      },
    ],
  };
}
