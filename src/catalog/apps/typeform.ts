import type { AppInput } from '../schema.ts';

/**
 * Typeform: OAuth 2.0 with space-separated scopes; `offline` brings a refresh
 * token (access tokens last a week).
 */
export const typeform: AppInput = {
  id: 'typeform',
  name: 'Typeform',
  category: 'Forms',
  docsUrl: 'https://www.typeform.com/developers/get-started/applications/',
  authDocsUrl: 'https://www.typeform.com/developers/get-started/applications/',
  connections: [
    {
      type: 'oauth2',
      authorizeUrl: 'https://api.typeform.com/oauth/authorize',
      tokenUrl: 'https://api.typeform.com/oauth/token',
      baseScopes: ['accounts:read', 'offline'],
      pkce: false,
      baseUrl: 'https://api.typeform.com',
      verify: { url: '/me', accountId: ['user_id', 'email'], accountLabel: ['email', 'alias'] },
    },
  ],
  scopesDocsUrl: 'https://www.typeform.com/developers/get-started/scopes/',
  scopes: [
    { name: 'accounts:read', description: 'See your Typeform account details.' },
    { name: 'offline', description: 'Keep working while you are away, without signing in again.' },
    { name: 'forms:read', description: 'See your forms.' },
    { name: 'responses:read', description: 'See the responses to your forms.' },
  ],
  modules: [
    {
      id: 'list-forms',
      name: 'List forms',
      scopes: ['forms:read'],
      inputs: [{ name: 'search', label: 'Title contains', example: 'Customer feedback' }],
      request: { method: 'GET', url: '/forms', query: { search: '{{search}}', page_size: '200' }, output: 'items' },
      docsUrl: 'https://www.typeform.com/developers/create/reference/retrieve-forms/',
    },
    {
      id: 'get-form',
      name: 'Get a form',
      scopes: ['forms:read'],
      inputs: [{ name: 'formId', label: 'Form ID', required: true, example: 'u6nXL7' }],
      request: { method: 'GET', url: '/forms/{{formId}}' },
      docsUrl: 'https://www.typeform.com/developers/create/reference/retrieve-form/',
    },
    {
      id: 'list-responses',
      name: 'List responses',
      scopes: ['responses:read'],
      inputs: [
        { name: 'formId', label: 'Form ID', required: true, example: 'u6nXL7' },
        {
          name: 'since',
          label: 'Submitted since',
          help: 'ISO 8601 date and time, e.g. 2025-01-01T00:00:00Z.',
          example: '2025-01-01T00:00:00',
        },
        { name: 'page_size', label: 'How many', type: 'number', default: 25, help: 'Up to 1000.' },
      ],
      request: {
        method: 'GET',
        url: '/forms/{{formId}}/responses',
        query: { since: '{{since}}', page_size: '{{page_size}}' },
        output: 'items',
      },
      docsUrl: 'https://www.typeform.com/developers/responses/reference/retrieve-responses/',
    },
  ],
};
