import type { AppInput } from '../schema.ts';

const CMA = 'application/vnd.contentful.management.v1+json';

/**
 * Contentful Content Management API: a personal access token (CFPAT-…) sent
 * as a Bearer token. Paths name the space and the environment.
 */
export const contentful: AppInput = {
  id: 'contentful',
  name: 'Contentful',
  category: 'Websites',
  docsUrl: 'https://www.contentful.com/developers/docs/references/authentication/',
  connections: [
    {
      type: 'apiKey',
      keys: [{ parameter: 'accessToken', in: 'header', name: 'Authorization', prefix: 'Bearer' }],
      baseUrl: 'https://api.contentful.com',
      verify: { url: '/users/me', accountId: ['sys.id'], accountLabel: ['email', 'firstName'] },
      parameters: [
        {
          name: 'accessToken',
          label: 'Personal access token',
          type: 'password',
          required: true,
          secret: true,
          pattern: 'CFPAT-[A-Za-z0-9_-]+',
          help: 'Settings → CMA tokens → Create personal access token.',
        },
      ],
    },
  ],
  fullAccess: {
    docsUrl: 'https://www.contentful.com/developers/docs/references/authentication/',
    description: 'A personal access token can do everything its user can, in every space.',
  },
  modules: [
    {
      id: 'list-entries',
      name: 'List entries',
      inputs: [
        { name: 'spaceId', label: 'Space ID', required: true, example: 'yadj1kx9rmg0' },
        { name: 'environmentId', label: 'Environment', required: true, default: 'master' },
        { name: 'content_type', label: 'Content type ID', example: 'blogPost' },
        { name: 'limit', label: 'How many', type: 'number', default: 100 },
      ],
      request: {
        method: 'GET',
        url: '/spaces/{{spaceId}}/environments/{{environmentId}}/entries',
        query: { content_type: '{{content_type}}', limit: '{{limit}}' },
        output: 'items',
      },
      docsUrl:
        'https://www.contentful.com/developers/docs/references/content-management-api/#/reference/entries/entries-collection',
    },
    {
      id: 'create-entry',
      name: 'Create an entry',
      inputs: [
        { name: 'spaceId', label: 'Space ID', required: true, example: 'yadj1kx9rmg0' },
        { name: 'environmentId', label: 'Environment', required: true, default: 'master' },
        { name: 'contentType', label: 'Content type ID', required: true, example: 'blogPost' },
        {
          name: 'fields',
          label: 'Fields',
          type: 'json',
          required: true,
          help: 'Per field and locale, e.g. {"title": {"en-US": "Hello"}}.',
          example: { title: { 'en-US': 'Hello, world' }, slug: { 'en-US': 'hello-world' } },
        },
      ],
      request: {
        method: 'POST',
        url: '/spaces/{{spaceId}}/environments/{{environmentId}}/entries',
        headers: { 'Content-Type': CMA, 'X-Contentful-Content-Type': '{{contentType}}' },
        body: { fields: '{{fields}}' },
      },
      docsUrl:
        'https://www.contentful.com/developers/docs/references/content-management-api/#/reference/entries/entries-collection/create-an-entry',
    },
    {
      id: 'publish-entry',
      name: 'Publish an entry',
      inputs: [
        { name: 'spaceId', label: 'Space ID', required: true, example: 'yadj1kx9rmg0' },
        { name: 'environmentId', label: 'Environment', required: true, default: 'master' },
        { name: 'entryId', label: 'Entry ID', required: true, example: '5KsDBWseXY6QegucYAoacS' },
        {
          name: 'version',
          label: 'Version',
          type: 'number',
          required: true,
          help: 'The entry’s current sys.version.',
          example: 3,
        },
      ],
      request: {
        method: 'PUT',
        url: '/spaces/{{spaceId}}/environments/{{environmentId}}/entries/{{entryId}}/published',
        headers: { 'Content-Type': CMA, 'X-Contentful-Version': '{{version}}' },
      },
      docsUrl:
        'https://www.contentful.com/developers/docs/references/content-management-api/#/reference/entries/entry-publishing',
    },
  ],
};
