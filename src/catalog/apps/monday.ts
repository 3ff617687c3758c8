import type { AppInput } from '../schema.ts';

/** monday.com's API is GraphQL: one endpoint, the query and its variables in the body. */
const API = 'https://api.monday.com/v2';

/**
 * monday.com GraphQL API. OAuth access tokens do not expire. The token goes in
 * the Authorization header as it is, without a `Bearer` prefix.
 */
export const monday: AppInput = {
  id: 'monday',
  name: 'monday.com',
  category: 'Project management',
  docsUrl: 'https://developer.monday.com/api-reference/docs/basics',
  authDocsUrl: 'https://developer.monday.com/apps/docs/oauth',
  scopesDocsUrl: 'https://developer.monday.com/apps/docs/oauth',
  connections: [
    {
      type: 'oauth2',
      authorizeUrl: 'https://auth.monday.com/oauth2/authorize',
      tokenUrl: 'https://auth.monday.com/oauth2/token',
      scopeSeparator: ' ',
      baseScopes: ['me:read'],
      pkce: false,
      placement: { in: 'header', headerName: 'Authorization', headerPrefix: '' },
      baseUrl: API,
      verify: {
        method: 'POST',
        url: API,
        headers: { 'Content-Type': 'application/json' },
        body: '{"query":"query { me { id name email } }"}',
        accountId: ['data.me.id'],
        accountLabel: ['data.me.email', 'data.me.name'],
      },
    },
    {
      type: 'apiKey',
      keys: [{ parameter: 'apiToken', in: 'header', name: 'Authorization' }],
      baseUrl: API,
      verify: {
        method: 'POST',
        url: API,
        headers: { 'Content-Type': 'application/json' },
        body: '{"query":"query { me { id name email } }"}',
        accountId: ['data.me.id'],
        accountLabel: ['data.me.email', 'data.me.name'],
      },
      parameters: [
        {
          name: 'apiToken',
          label: 'Personal API token',
          type: 'password',
          required: true,
          secret: true,
          help: 'From your avatar → Developers → API token.',
        },
      ],
    },
  ],
  scopes: [
    { name: 'me:read', description: 'See your name, email and account.' },
    { name: 'boards:read', description: 'Read the boards you can see, with their items and updates.' },
    { name: 'boards:write', description: 'Create and change boards and items.' },
    { name: 'workspaces:read', description: 'See your workspaces.' },
    { name: 'updates:write', description: 'Post and change updates (comments) on items.' },
  ],
  modules: [
    {
      id: 'list-boards',
      name: 'List boards',
      scopes: ['boards:read'],
      inputs: [{ name: 'limit', label: 'Maximum results', type: 'number', default: 50 }],
      request: {
        method: 'POST',
        url: API,
        body: {
          query: 'query ($limit: Int) { boards(limit: $limit) { id name state workspace_id } }',
          variables: { limit: '{{limit}}' },
        },
        output: 'data.boards',
      },
      docsUrl: 'https://developer.monday.com/api-reference/reference/boards',
    },
    {
      id: 'list-items',
      name: 'List items of a board',
      scopes: ['boards:read'],
      inputs: [
        { name: 'boardId', label: 'Board ID', required: true, example: '1234567890' },
        { name: 'limit', label: 'Maximum results', type: 'number', default: 100 },
      ],
      request: {
        method: 'POST',
        url: API,
        body: {
          query:
            'query ($boardId: [ID!], $limit: Int!) { boards(ids: $boardId) { items_page(limit: $limit) { cursor items { id name column_values { id text } } } } }',
          variables: { boardId: '{{boardId}}', limit: '{{limit}}' },
        },
        output: 'data.boards.0.items_page.items',
      },
      docsUrl: 'https://developer.monday.com/api-reference/reference/items-page',
    },
    {
      id: 'create-item',
      name: 'Create an item',
      scopes: ['boards:write'],
      inputs: [
        { name: 'boardId', label: 'Board ID', required: true, example: '1234567890' },
        { name: 'itemName', label: 'Name', required: true, example: 'Prepare the Q3 budget' },
        { name: 'groupId', label: 'Group ID', help: 'The board’s top group when empty.', example: 'topics' },
        {
          name: 'columnValues',
          label: 'Column values',
          help: 'A JSON string keyed by column ID, e.g. {"status": {"label": "Done"}}.',
          example: '{"status": {"label": "Working on it"}}',
        },
      ],
      request: {
        method: 'POST',
        url: API,
        body: {
          query:
            'mutation ($boardId: ID!, $groupId: String, $itemName: String!, $columnValues: JSON) { create_item(board_id: $boardId, group_id: $groupId, item_name: $itemName, column_values: $columnValues) { id name } }',
          variables: {
            boardId: '{{boardId}}',
            groupId: '{{groupId}}',
            itemName: '{{itemName}}',
            columnValues: '{{columnValues}}',
          },
        },
        output: 'data.create_item',
      },
      docsUrl: 'https://developer.monday.com/api-reference/reference/items#create-an-item',
    },
    {
      id: 'create-update',
      name: 'Post an update on an item',
      scopes: ['updates:write'],
      inputs: [
        { name: 'itemId', label: 'Item ID', required: true, example: '9876543210' },
        {
          name: 'body',
          label: 'Text',
          type: 'textarea',
          required: true,
          help: 'HTML is allowed.',
          example: 'The draft is ready for review: <b>v2</b> is attached.',
        },
      ],
      request: {
        method: 'POST',
        url: API,
        body: {
          query: 'mutation ($itemId: ID!, $body: String!) { create_update(item_id: $itemId, body: $body) { id } }',
          variables: { itemId: '{{itemId}}', body: '{{body}}' },
        },
        output: 'data.create_update',
      },
      docsUrl: 'https://developer.monday.com/api-reference/reference/updates#create-an-update',
    },
    {
      id: 'list-workspaces',
      name: 'List workspaces',
      scopes: ['workspaces:read'],
      request: {
        method: 'POST',
        url: API,
        body: { query: 'query { workspaces { id name kind } }' },
        output: 'data.workspaces',
      },
      docsUrl: 'https://developer.monday.com/api-reference/reference/workspaces',
    },
  ],
};
