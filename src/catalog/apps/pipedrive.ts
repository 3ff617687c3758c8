import type { AppInput } from '../schema.ts';

/**
 * Pipedrive: OAuth 2.0 through oauth.pipedrive.com, client authenticated with
 * HTTP Basic. Scopes are chosen when the app is registered in the Developer
 * Hub, not per request; the token response names the company's own API host
 * in `api_domain`.
 */
export const pipedrive: AppInput = {
  id: 'pipedrive',
  name: 'Pipedrive',
  category: 'CRM',
  docsUrl: 'https://pipedrive.readme.io/docs/marketplace-oauth-authorization',
  authDocsUrl: 'https://pipedrive.readme.io/docs/marketplace-oauth-authorization',
  connections: [
    {
      type: 'oauth2',
      authorizeUrl: 'https://oauth.pipedrive.com/oauth/authorize',
      tokenUrl: 'https://oauth.pipedrive.com/oauth/token',
      pkce: false,
      clientAuth: 'client_secret_basic',
      keepFromTokenResponse: ['api_domain'],
      baseUrl: '{{api_domain}}',
      verify: { url: '/api/v1/users/me', accountId: ['data.id'], accountLabel: ['data.email', 'data.name'] },
    },
  ],
  scopesDocsUrl: 'https://pipedrive.readme.io/docs/marketplace-scopes-and-permissions-explanations',
  scopes: [
    { name: 'base', description: 'See your user settings and the account’s currencies (always granted).' },
    { name: 'deals:read', description: 'See deals, pipelines, stages and their notes and files.' },
    { name: 'deals:full', description: 'Create, change and delete deals.' },
    { name: 'contacts:read', description: 'See people and organizations.' },
    { name: 'contacts:full', description: 'Create, change and delete people and organizations.' },
  ],
  modules: [
    {
      id: 'create-deal',
      name: 'Create a deal',
      scopes: ['deals:full'],
      inputs: [
        { name: 'title', label: 'Title', required: true, example: 'Acme Corp: 50 licenses' },
        { name: 'value', label: 'Value', type: 'number', example: 5000 },
        { name: 'currency', label: 'Currency', help: 'A three-letter code such as EUR or USD.', example: 'EUR' },
        { name: 'person_id', label: 'Person ID', type: 'number', example: 42 },
        { name: 'org_id', label: 'Organization ID', type: 'number', example: 7 },
      ],
      request: {
        method: 'POST',
        url: '/api/v2/deals',
        body: {
          title: '{{title}}',
          value: '{{value}}',
          currency: '{{currency}}',
          person_id: '{{person_id}}',
          org_id: '{{org_id}}',
        },
        output: 'data',
      },
      docsUrl: 'https://developers.pipedrive.com/docs/api/v2/Deals',
    },
    {
      id: 'create-person',
      name: 'Create a person',
      scopes: ['contacts:full'],
      inputs: [
        { name: 'name', label: 'Name', required: true, example: 'Ada Lovelace' },
        { name: 'email', label: 'Email', example: 'ada@example.com' },
        { name: 'org_id', label: 'Organization ID', type: 'number', example: 7 },
      ],
      request: {
        method: 'POST',
        url: '/api/v2/persons',
        body: { name: '{{name}}', emails: [{ value: '{{email}}', primary: true }], org_id: '{{org_id}}' },
        output: 'data',
      },
      docsUrl: 'https://developers.pipedrive.com/docs/api/v2/Persons',
    },
    {
      id: 'search-persons',
      name: 'Search people',
      scopes: ['contacts:read'],
      inputs: [
        {
          name: 'term',
          label: 'Search text',
          required: true,
          help: 'At least two characters, matched against name, email, phone and notes.',
          example: 'Lovelace',
        },
      ],
      request: { method: 'GET', url: '/api/v2/persons/search', query: { term: '{{term}}' }, output: 'data.items' },
      docsUrl: 'https://developers.pipedrive.com/docs/api/v2/Persons',
    },
  ],
};
