import type { AppInput } from '../schema.ts';

/**
 * X (Twitter) API v2: OAuth 2.0 authorization code with PKCE, which X
 * requires; confidential clients authenticate with HTTP Basic. Access tokens
 * last two hours; `offline.access` brings a refresh token.
 */
export const x: AppInput = {
  id: 'x',
  name: 'X (Twitter)',
  category: 'Social media',
  docsUrl: 'https://docs.x.com/resources/fundamentals/authentication/oauth-2-0/authorization-code',
  authDocsUrl: 'https://docs.x.com/resources/fundamentals/authentication/oauth-2-0/authorization-code',
  connections: [
    {
      type: 'oauth2',
      authorizeUrl: 'https://x.com/i/oauth2/authorize',
      tokenUrl: 'https://api.x.com/2/oauth2/token',
      revokeUrl: 'https://api.x.com/2/oauth2/revoke',
      baseScopes: ['users.read', 'tweet.read', 'offline.access'],
      pkce: true,
      clientAuth: 'client_secret_basic',
      baseUrl: 'https://api.x.com',
      verify: { url: '/2/users/me', accountId: ['data.id'], accountLabel: ['data.username', 'data.name'] },
    },
  ],
  scopesDocsUrl: 'https://docs.x.com/resources/fundamentals/authentication/oauth-2-0/authorization-code#scopes',
  scopes: [
    { name: 'tweet.read', description: 'See posts, including those of protected accounts you follow.' },
    { name: 'tweet.write', description: 'Post and delete posts as you.' },
    { name: 'users.read', description: 'See accounts, including protected ones you follow.' },
    { name: 'offline.access', description: 'Keep working while you are away, without signing in again.' },
  ],
  modules: [
    {
      id: 'create-post',
      name: 'Create a post',
      scopes: ['tweet.read', 'tweet.write', 'users.read'],
      inputs: [
        {
          name: 'text',
          label: 'Text',
          type: 'textarea',
          required: true,
          example: 'Our new release is out: faster exports and a dark mode.',
        },
      ],
      request: { method: 'POST', url: '/2/tweets', body: { text: '{{text}}' }, output: 'data' },
      docsUrl: 'https://docs.x.com/x-api/posts/create-post',
    },
    {
      id: 'search-recent',
      name: 'Search recent posts',
      scopes: ['tweet.read', 'users.read'],
      inputs: [
        {
          name: 'query',
          label: 'Query',
          required: true,
          help: 'X search syntax, e.g. from:NASA -is:retweet. Covers the last seven days.',
          example: 'from:NASA -is:retweet',
        },
        { name: 'max_results', label: 'How many', type: 'number', default: 10, help: '10 to 100.' },
      ],
      request: {
        method: 'GET',
        url: '/2/tweets/search/recent',
        query: { query: '{{query}}', max_results: '{{max_results}}' },
        output: 'data',
      },
      docsUrl: 'https://docs.x.com/x-api/posts/search-recent-posts',
    },
    {
      id: 'get-user',
      name: 'Get a user by username',
      scopes: ['tweet.read', 'users.read'],
      inputs: [{ name: 'username', label: 'Username', required: true, help: 'Without the @.', example: 'XDevelopers' }],
      request: {
        method: 'GET',
        url: '/2/users/by/username/{{username}}',
        query: { 'user.fields': 'created_at,description,public_metrics,verified' },
        output: 'data',
      },
      docsUrl: 'https://docs.x.com/x-api/users/get-user-by-username',
    },
    {
      id: 'delete-post',
      name: 'Delete a post',
      scopes: ['tweet.read', 'tweet.write', 'users.read'],
      inputs: [{ name: 'id', label: 'Post ID', required: true, example: '1346889436626259968' }],
      request: { method: 'DELETE', url: '/2/tweets/{{id}}', output: 'data' },
      docsUrl: 'https://docs.x.com/x-api/posts/delete-post',
    },
  ],
};
