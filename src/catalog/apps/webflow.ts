import type { AppInput } from '../schema.ts';

/**
 * Webflow Data API v2: OAuth 2.0 with space-separated scopes; access tokens
 * do not expire. Workspaces hosted in the EU use eu.webflow.com and
 * api.eu.webflow.com with an app registered there.
 */
export const webflow: AppInput = {
  id: 'webflow',
  name: 'Webflow',
  category: 'Websites',
  docsUrl: 'https://developers.webflow.com/data/reference/oauth-app',
  authDocsUrl: 'https://developers.webflow.com/data/reference/oauth-app',
  connections: [
    {
      type: 'oauth2',
      authorizeUrl: 'https://{{appHost}}/oauth/authorize',
      tokenUrl: 'https://api.{{appHost}}/oauth/access_token',
      baseScopes: ['authorized_user:read'],
      pkce: false,
      baseUrl: 'https://api.{{appHost}}/v2',
      verify: { url: '/token/authorized_by', accountId: ['id'], accountLabel: ['email', 'firstName'] },
      parameters: [
        {
          name: 'appHost',
          label: 'Region',
          type: 'select',
          advanced: true,
          default: 'webflow.com',
          // https://developers.webflow.com/data/docs/working-with-eu-hosting
          options: [
            { value: 'webflow.com', label: 'United States' },
            { value: 'eu.webflow.com', label: 'EU' },
          ],
        },
      ],
    },
  ],
  scopesDocsUrl: 'https://developers.webflow.com/data/reference/scopes',
  scopes: [
    { name: 'authorized_user:read', description: 'See your name and email address.' },
    { name: 'sites:read', description: 'See your sites.' },
    { name: 'sites:write', description: 'Publish your sites.' },
    { name: 'cms:read', description: 'See your CMS collections and items.' },
    { name: 'cms:write', description: 'Create, change and delete CMS items.' },
  ],
  modules: [
    {
      id: 'list-sites',
      name: 'List sites',
      scopes: ['sites:read'],
      request: { method: 'GET', url: '/sites', output: 'sites' },
      docsUrl: 'https://developers.webflow.com/data/reference/sites/list',
    },
    {
      id: 'list-items',
      name: 'List CMS items',
      scopes: ['cms:read'],
      inputs: [
        { name: 'collectionId', label: 'Collection ID', required: true, example: '580e63fc8c9a982ac9b8b745' },
        { name: 'limit', label: 'How many', type: 'number', default: 100 },
      ],
      request: {
        method: 'GET',
        url: '/collections/{{collectionId}}/items',
        query: { limit: '{{limit}}' },
        output: 'items',
      },
      docsUrl: 'https://developers.webflow.com/data/reference/cms/collection-items/staged-items/list-items',
    },
    {
      id: 'create-item',
      name: 'Create a CMS item',
      scopes: ['cms:write'],
      inputs: [
        { name: 'collectionId', label: 'Collection ID', required: true, example: '580e63fc8c9a982ac9b8b745' },
        {
          name: 'fieldData',
          label: 'Fields',
          type: 'json',
          required: true,
          help: 'Field slugs and values; name and slug are required, e.g. {"name": "Hello", "slug": "hello"}.',
          example: { name: 'Hello world', slug: 'hello-world' },
        },
        { name: 'isDraft', label: 'Draft', type: 'boolean', default: true },
      ],
      request: {
        method: 'POST',
        url: '/collections/{{collectionId}}/items',
        body: { isArchived: false, isDraft: '{{isDraft}}', fieldData: '{{fieldData}}' },
      },
      docsUrl: 'https://developers.webflow.com/data/reference/cms/collection-items/staged-items/create-item',
    },
    {
      id: 'publish-site',
      name: 'Publish a site',
      scopes: ['sites:write'],
      inputs: [{ name: 'siteId', label: 'Site ID', required: true, example: '580e63e98c9a982ac9b8b741' }],
      request: { method: 'POST', url: '/sites/{{siteId}}/publish', body: { publishToWebflowSubdomain: true } },
      docsUrl: 'https://developers.webflow.com/data/reference/sites/publish',
    },
  ],
};
