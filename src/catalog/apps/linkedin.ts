import type { AppInput } from '../schema.ts';

const REST_HEADERS = { 'LinkedIn-Version': '202601', 'X-Restli-Protocol-Version': '2.0.0' };

/**
 * LinkedIn: three-legged OAuth 2.0 (no PKCE for web apps) with OpenID Connect
 * for the member's identity. Access tokens last 60 days; most apps get no
 * refresh token, so the person reconnects then. Versioned REST calls name a
 * LinkedIn-Version month.
 */
export const linkedin: AppInput = {
  id: 'linkedin',
  name: 'LinkedIn',
  category: 'Social media',
  docsUrl: 'https://learn.microsoft.com/en-us/linkedin/shared/authentication/authorization-code-flow',
  authDocsUrl: 'https://learn.microsoft.com/en-us/linkedin/shared/authentication/authorization-code-flow',
  connections: [
    {
      type: 'oauth2',
      authorizeUrl: 'https://www.linkedin.com/oauth/v2/authorization',
      tokenUrl: 'https://www.linkedin.com/oauth/v2/accessToken',
      revokeUrl: 'https://www.linkedin.com/oauth/v2/revoke',
      baseScopes: ['openid', 'profile'],
      pkce: false,
      baseUrl: 'https://api.linkedin.com',
      verify: { url: '/v2/userinfo', accountId: ['sub'], accountLabel: ['email', 'name'] },
    },
  ],
  scopesDocsUrl: 'https://learn.microsoft.com/en-us/linkedin/consumer/integrations/self-serve/sign-in-with-linkedin-v2',
  scopes: [
    { name: 'openid', description: 'Sign you in with LinkedIn.' },
    { name: 'profile', description: 'See your name and photo.' },
    { name: 'email', description: 'See your primary email address.' },
    { name: 'w_member_social', description: 'Post, comment and react on LinkedIn as you.' },
  ],
  modules: [
    {
      id: 'get-me',
      name: 'Get my profile',
      scopes: ['openid', 'profile', 'email'],
      request: { method: 'GET', url: '/v2/userinfo' },
      docsUrl: 'https://learn.microsoft.com/en-us/linkedin/consumer/integrations/self-serve/sign-in-with-linkedin-v2',
    },
    {
      id: 'create-text-post',
      name: 'Share a post',
      scopes: ['w_member_social'],
      inputs: [
        {
          name: 'personId',
          label: 'Your member ID',
          required: true,
          help: 'The sub from “Get my profile”.',
          example: '782bbtaQ',
        },
        {
          name: 'commentary',
          label: 'Text',
          type: 'textarea',
          required: true,
          example: 'We are hiring! Join our team building tools for small businesses.',
        },
        {
          name: 'visibility',
          label: 'Visibility',
          type: 'select',
          default: 'PUBLIC',
          options: [
            { value: 'PUBLIC', label: 'Anyone' },
            { value: 'CONNECTIONS', label: 'Connections only' },
          ],
        },
      ],
      request: {
        method: 'POST',
        url: '/rest/posts',
        headers: REST_HEADERS,
        body: {
          author: 'urn:li:person:{{personId}}',
          commentary: '{{commentary}}',
          visibility: '{{visibility}}',
          distribution: { feedDistribution: 'MAIN_FEED', targetEntities: [], thirdPartyDistributionChannels: [] },
          lifecycleState: 'PUBLISHED',
          isReshareDisabledByAuthor: false,
        },
      },
      docsUrl: 'https://learn.microsoft.com/en-us/linkedin/marketing/community-management/shares/posts-api',
    },
    {
      id: 'create-article-post',
      name: 'Share a link',
      scopes: ['w_member_social'],
      inputs: [
        { name: 'personId', label: 'Your member ID', required: true, example: '782bbtaQ' },
        { name: 'commentary', label: 'Text', type: 'textarea', example: 'Our take on remote onboarding.' },
        { name: 'source', label: 'Link', required: true, example: 'https://www.example.com/blog/remote-onboarding' },
        { name: 'title', label: 'Link title', required: true, example: 'Five lessons from remote onboarding' },
      ],
      request: {
        method: 'POST',
        url: '/rest/posts',
        headers: REST_HEADERS,
        body: {
          author: 'urn:li:person:{{personId}}',
          commentary: '{{commentary}}',
          visibility: 'PUBLIC',
          distribution: { feedDistribution: 'MAIN_FEED', targetEntities: [], thirdPartyDistributionChannels: [] },
          content: { article: { source: '{{source}}', title: '{{title}}' } },
          lifecycleState: 'PUBLISHED',
          isReshareDisabledByAuthor: false,
        },
      },
      docsUrl: 'https://learn.microsoft.com/en-us/linkedin/marketing/community-management/shares/posts-api',
    },
  ],
};
