import type { AppInput } from '../schema.ts';
import type { ModuleInput } from './types.ts';

/** Every Notion request names the API version it was written for. */
const headers = { 'Notion-Version': '2022-06-28' };
const pageId: ModuleInput = {
  name: 'pageId',
  label: 'Page ID',
  required: true,
  example: 'b55c9c91-384d-452b-81db-d1ef79372b75',
};
const databaseId: ModuleInput = {
  name: 'databaseId',
  label: 'Database ID',
  required: true,
  example: '897e5a76ae524b489fdfe71f5945d1af',
};

/**
 * Notion API, as a public integration (OAuth) or an internal integration
 * token. The token endpoint wants the client ID and secret with HTTP Basic;
 * its access tokens carry no expiry.
 */
export const notion: AppInput = {
  id: 'notion',
  name: 'Notion',
  category: 'Productivity',
  docsUrl: 'https://developers.notion.com/reference/intro',
  authDocsUrl: 'https://developers.notion.com/docs/authorization',
  connections: [
    {
      type: 'oauth2',
      authorizeUrl: 'https://api.notion.com/v1/oauth/authorize',
      tokenUrl: 'https://api.notion.com/v1/oauth/token',
      pkce: false,
      clientAuth: 'client_secret_basic',
      authorizeParameters: { owner: 'user' },
      keepFromTokenResponse: ['workspace_id', 'workspace_name', 'bot_id'],
      baseUrl: 'https://api.notion.com',
      verify: {
        url: '/v1/users/me',
        headers,
        accountId: ['bot.owner.user.id', 'id'],
        accountLabel: ['bot.owner.user.person.email', 'bot.workspace_name', 'name'],
      },
    },
    {
      type: 'apiKey',
      keys: [{ parameter: 'token', in: 'header', name: 'Authorization', prefix: 'Bearer' }],
      baseUrl: 'https://api.notion.com',
      verify: { url: '/v1/users/me', headers, accountId: ['id'], accountLabel: ['bot.workspace_name', 'name'] },
      parameters: [
        {
          name: 'token',
          label: 'Internal integration secret',
          type: 'password',
          required: true,
          secret: true,
          help: 'From your integration’s page at notion.so/profile/integrations; share the pages it may use with it.',
        },
      ],
    },
  ],
  // Notion has no OAuth scopes: the integration's capabilities and the pages the person shares with it decide the access.
  fullAccess: {
    docsUrl: 'https://developers.notion.com/reference/capabilities',
    description:
      'Notion has no scopes: the connection can use the pages and databases you share with it, within the integration’s capabilities.',
  },
  modules: [
    {
      id: 'search',
      name: 'Search pages and databases',
      inputs: [
        { name: 'query', label: 'Title contains', example: 'Meeting notes' },
        {
          name: 'filter',
          label: 'Only',
          type: 'json',
          help: '{"property": "object", "value": "page"} or "database".',
          example: { property: 'object', value: 'page' },
        },
        { name: 'page_size', label: 'Maximum results', type: 'number', default: 100 },
      ],
      request: {
        method: 'POST',
        url: '/v1/search',
        headers,
        body: { query: '{{query}}', filter: '{{filter}}', page_size: '{{page_size}}' },
        output: 'results',
      },
      docsUrl: 'https://developers.notion.com/reference/post-search',
    },
    {
      id: 'query-database',
      name: 'Query a database',
      inputs: [
        databaseId,
        {
          name: 'filter',
          label: 'Filter',
          type: 'json',
          help: 'A Notion filter object, e.g. {"property": "Status", "status": {"equals": "Done"}}.',
          example: { property: 'Status', status: { equals: 'Done' } },
        },
        {
          name: 'sorts',
          label: 'Sorts',
          type: 'json',
          help: '[{"property": "Due", "direction": "ascending"}]',
          example: [{ property: 'Due', direction: 'ascending' }],
        },
      ],
      request: {
        method: 'POST',
        url: '/v1/databases/{{databaseId}}/query',
        headers,
        body: { filter: '{{filter}}', sorts: '{{sorts}}' },
        output: 'results',
      },
      docsUrl: 'https://developers.notion.com/reference/post-database-query',
    },
    {
      id: 'create-database-item',
      name: 'Create a database item',
      inputs: [
        databaseId,
        {
          name: 'properties',
          label: 'Properties',
          type: 'json',
          required: true,
          help: 'Property values keyed by name, e.g. {"Name": {"title": [{"text": {"content": "Hello"}}]}}.',
          example: {
            Name: { title: [{ text: { content: 'Write the launch post' } }] },
            Status: { status: { name: 'Not started' } },
          },
        },
      ],
      request: {
        method: 'POST',
        url: '/v1/pages',
        headers,
        body: { parent: { database_id: '{{databaseId}}' }, properties: '{{properties}}' },
      },
      docsUrl: 'https://developers.notion.com/reference/post-page',
    },
    {
      id: 'get-page',
      name: 'Get a page',
      inputs: [pageId],
      request: { url: '/v1/pages/{{pageId}}', headers },
      docsUrl: 'https://developers.notion.com/reference/retrieve-a-page',
    },
    {
      id: 'append-blocks',
      name: 'Append content to a page',
      inputs: [
        pageId,
        {
          name: 'children',
          label: 'Blocks',
          type: 'json',
          required: true,
          help: 'An array of block objects, e.g. [{"paragraph": {"rich_text": [{"text": {"content": "Hi"}}]}}].',
          example: [
            {
              object: 'block',
              type: 'paragraph',
              paragraph: {
                rich_text: [{ type: 'text', text: { content: 'Next steps: review the draft by Friday.' } }],
              },
            },
          ],
        },
      ],
      request: { method: 'PATCH', url: '/v1/blocks/{{pageId}}/children', headers, body: { children: '{{children}}' } },
      docsUrl: 'https://developers.notion.com/reference/patch-block-children',
    },
  ],
};
