import type { AppInput } from '../schema.ts';

/**
 * WordPress: two ways in, both reaching the same WP REST API (`/wp/v2`).
 * WordPress.com sites authorize with OAuth 2.0: without a scope the token is
 * limited to the one site chosen on the consent screen, whose `blog_id` comes
 * back with the token, and it does not expire. Self-hosted sites (WordPress
 * 5.6 and later) take an application password with HTTP Basic over HTTPS.
 */
export const wordpress: AppInput = {
  id: 'wordpress',
  name: 'WordPress',
  category: 'Websites',
  docsUrl: 'https://developer.wordpress.com/docs/oauth2/',
  authDocsUrl: 'https://developer.wordpress.com/docs/oauth2/',
  connections: [
    {
      type: 'oauth2',
      authorizeUrl: 'https://public-api.wordpress.com/oauth2/authorize',
      tokenUrl: 'https://public-api.wordpress.com/oauth2/token',
      pkce: false,
      keepFromTokenResponse: ['blog_id'],
      baseUrl: 'https://public-api.wordpress.com/wp/v2/sites/{{blog_id}}',
      verify: {
        url: 'https://public-api.wordpress.com/rest/v1.1/me',
        accountId: ['ID'],
        accountLabel: ['username', 'email'],
      },
    },
    {
      type: 'basic',
      usernameParameter: 'username',
      passwordParameter: 'applicationPassword',
      baseUrl: '{{siteUrl}}/wp-json/wp/v2',
      verify: { url: '/users/me', accountId: ['id'], accountLabel: ['name', 'slug'] },
      parameters: [
        {
          name: 'siteUrl',
          label: 'Site address',
          type: 'url',
          required: true,
          editable: true,
          pattern: 'https://[^/?#]+(/[^?#]*[^/?#])?',
          help: 'Your site’s address over HTTPS, without a trailing slash. If it is on a private network, the administrator must list its host in HITCH_ALLOWED_HOSTS.',
        },
        { name: 'username', label: 'User name', required: true },
        {
          name: 'applicationPassword',
          label: 'Application password',
          type: 'password',
          required: true,
          secret: true,
          help: 'Users → Profile → Application Passwords → Add New.',
        },
      ],
    },
  ],
  fullAccess: {
    docsUrl: 'https://make.wordpress.org/core/2020/11/05/application-passwords-integration-guide/',
    description: 'The connection can do what its WordPress user can on the site.',
  },
  modules: [
    {
      id: 'create-post',
      name: 'Create a post',
      inputs: [
        { name: 'title', label: 'Title', required: true, example: 'Our spring collection is here' },
        {
          name: 'content',
          label: 'Content (HTML)',
          type: 'textarea',
          required: true,
          example: '<p>Twelve new pieces, in stores from Monday.</p>',
        },
        {
          name: 'status',
          label: 'Status',
          type: 'select',
          default: 'draft',
          options: [
            { value: 'draft', label: 'Draft' },
            { value: 'publish', label: 'Published' },
            { value: 'pending', label: 'Pending review' },
            { value: 'private', label: 'Private' },
          ],
        },
        { name: 'excerpt', label: 'Excerpt', example: 'A first look at the spring collection.' },
      ],
      request: {
        method: 'POST',
        url: '/posts',
        body: { title: '{{title}}', content: '{{content}}', status: '{{status}}', excerpt: '{{excerpt}}' },
      },
      docsUrl: 'https://developer.wordpress.org/rest-api/reference/posts/#create-a-post',
    },
    {
      id: 'list-posts',
      name: 'List posts',
      inputs: [
        { name: 'search', label: 'Search text', example: 'spring' },
        { name: 'status', label: 'Status', default: 'publish' },
        { name: 'per_page', label: 'How many', type: 'number', default: 10 },
      ],
      request: {
        method: 'GET',
        url: '/posts',
        query: { search: '{{search}}', status: '{{status}}', per_page: '{{per_page}}' },
      },
      docsUrl: 'https://developer.wordpress.org/rest-api/reference/posts/#list-posts',
    },
    {
      id: 'update-post',
      name: 'Update a post',
      inputs: [
        { name: 'id', label: 'Post ID', type: 'number', required: true, example: 42 },
        { name: 'title', label: 'Title', example: 'Spring collection: now in stores' },
        {
          name: 'content',
          label: 'Content (HTML)',
          type: 'textarea',
          example: '<p>Twelve new pieces, in stores now.</p>',
        },
        { name: 'status', label: 'Status', example: 'publish' },
      ],
      request: {
        method: 'POST',
        url: '/posts/{{id}}',
        body: { title: '{{title}}', content: '{{content}}', status: '{{status}}' },
      },
      docsUrl: 'https://developer.wordpress.org/rest-api/reference/posts/#update-a-post',
    },
  ],
};
