import type { AppInput } from '../schema.ts';

/**
 * Tumblr API v2 with OAuth 1.0a: HMAC-SHA1 in the Authorization header only;
 * the temporary-credentials request is a POST, the access-token request a GET,
 * as the API documentation's "OAuth1 Authorization" section says. The consumer
 * key and secret come from an application registered at tumblr.com/oauth/apps.
 * Tumblr also offers OAuth 2.0; this file describes its OAuth 1.0a sign-in.
 */
export const tumblr: AppInput = {
  id: 'tumblr',
  name: 'Tumblr',
  category: 'Social media',
  docsUrl: 'https://www.tumblr.com/docs/en/api/v2',
  authDocsUrl: 'https://www.tumblr.com/docs/en/api/v2#oauth1-authorization',
  connections: [
    {
      type: 'oauth1',
      requestTokenUrl: 'https://www.tumblr.com/oauth/request_token',
      authorizeUrl: 'https://www.tumblr.com/oauth/authorize',
      accessTokenUrl: 'https://www.tumblr.com/oauth/access_token',
      accessTokenMethod: 'GET',
      signatureMethod: 'HMAC-SHA1',
      baseUrl: 'https://api.tumblr.com/v2',
      verify: { url: '/user/info', accountId: ['response.user.name'], accountLabel: ['response.user.name'] },
      parameters: [
        {
          name: 'consumerKey',
          label: 'OAuth consumer key',
          advanced: true,
          help: 'From your application at tumblr.com/oauth/apps, used instead of the platform’s.',
        },
        { name: 'consumerSecret', label: 'Secret key', type: 'password', secret: true, advanced: true },
      ],
    },
  ],
  // OAuth 1.0a tokens carry no scopes: the token can do what the account can.
  fullAccess: {
    docsUrl: 'https://www.tumblr.com/docs/en/api/v2#authentication',
    description: 'The token acts as your Tumblr account: it can read and post to your blogs.',
  },
  modules: [
    {
      id: 'get-user-info',
      name: 'Get my account',
      request: { url: '/user/info', output: 'response.user' },
      docsUrl: 'https://www.tumblr.com/docs/en/api/v2#userinfo--get-a-users-information',
    },
    {
      id: 'list-dashboard',
      name: 'List my dashboard',
      inputs: [{ name: 'limit', label: 'How many', type: 'number', default: 20, help: '1 to 20.' }],
      request: { url: '/user/dashboard', query: { limit: '{{limit}}' }, output: 'response.posts' },
      docsUrl: 'https://www.tumblr.com/docs/en/api/v2#userdashboard--retrieve-a-users-dashboard',
    },
    {
      id: 'list-likes',
      name: 'List my likes',
      inputs: [{ name: 'limit', label: 'How many', type: 'number', default: 20, help: '1 to 20.' }],
      request: { url: '/user/likes', query: { limit: '{{limit}}' }, output: 'response.liked_posts' },
      docsUrl: 'https://www.tumblr.com/docs/en/api/v2#userlikes--retrieve-a-users-likes',
    },
  ],
};
