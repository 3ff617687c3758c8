import type { AppInput } from '../schema.ts';

/** Linear's API is GraphQL: one endpoint, the query and its variables in the body. */
const API = 'https://api.linear.app/graphql';
const viewer = {
  method: 'POST',
  url: API,
  headers: { 'Content-Type': 'application/json' },
  body: '{"query":"query { viewer { id name email } }"}',
  accountId: ['data.viewer.id'],
  accountLabel: ['data.viewer.email', 'data.viewer.name'],
} as const;

/** Linear GraphQL API. Scopes are separated by commas. */
export const linear: AppInput = {
  id: 'linear',
  name: 'Linear',
  category: 'Project management',
  docsUrl: 'https://linear.app/developers/graphql',
  authDocsUrl: 'https://linear.app/developers/oauth-2-0-authentication',
  scopesDocsUrl: 'https://linear.app/developers/oauth-2-0-authentication',
  connections: [
    {
      type: 'oauth2',
      authorizeUrl: 'https://linear.app/oauth/authorize',
      tokenUrl: 'https://api.linear.app/oauth/token',
      revokeUrl: 'https://api.linear.app/oauth/revoke',
      scopeSeparator: ',',
      baseScopes: ['read'],
      baseUrl: 'https://api.linear.app',
      verify: { ...viewer, accountId: [...viewer.accountId], accountLabel: [...viewer.accountLabel] },
    },
    {
      type: 'apiKey',
      // Personal API keys go in the Authorization header as they are, without Bearer.
      keys: [{ parameter: 'apiKey', in: 'header', name: 'Authorization' }],
      baseUrl: 'https://api.linear.app',
      verify: { ...viewer, accountId: [...viewer.accountId], accountLabel: [...viewer.accountLabel] },
      parameters: [
        {
          name: 'apiKey',
          label: 'Personal API key',
          type: 'password',
          required: true,
          secret: true,
          pattern: '^lin_api_\\S+$',
          help: 'Settings → Security & access → Personal API keys.',
        },
      ],
    },
  ],
  scopes: [
    { name: 'read', description: 'Read your workspace’s issues, projects, teams and comments.' },
    { name: 'write', description: 'Read and change everything you can change in your workspace.' },
    { name: 'issues:create', description: 'Create issues and their attachments.' },
    { name: 'comments:create', description: 'Create comments.' },
  ],
  modules: [
    {
      id: 'list-teams',
      name: 'List teams',
      scopes: ['read'],
      request: {
        method: 'POST',
        url: API,
        body: { query: 'query { teams { nodes { id key name } } }' },
        output: 'data.teams.nodes',
      },
      docsUrl: 'https://linear.app/developers/graphql#queries-and-mutations',
    },
    {
      id: 'list-my-issues',
      name: 'List issues assigned to me',
      scopes: ['read'],
      inputs: [{ name: 'first', label: 'Maximum results', type: 'number', default: 50 }],
      request: {
        method: 'POST',
        url: API,
        body: {
          query:
            'query ($first: Int) { viewer { assignedIssues(first: $first) { nodes { id identifier title url state { name } } } } }',
          variables: { first: '{{first}}' },
        },
        output: 'data.viewer.assignedIssues.nodes',
      },
      docsUrl: 'https://linear.app/developers/graphql#queries-and-mutations',
    },
    {
      id: 'create-issue',
      name: 'Create an issue',
      scopes: ['issues:create'],
      inputs: [
        { name: 'teamId', label: 'Team ID', required: true, example: '9cfb482a-81e3-4154-b5b9-2c805e70a02d' },
        { name: 'title', label: 'Title', required: true, example: 'Export to CSV drops the last row' },
        {
          name: 'description',
          label: 'Description',
          type: 'textarea',
          help: 'Markdown.',
          example: 'Exporting a view with **100 rows** gives a file with 99.',
        },
        {
          name: 'priority',
          label: 'Priority',
          type: 'select',
          example: 2,
          options: [
            { value: 1, label: 'Urgent' },
            { value: 2, label: 'High' },
            { value: 3, label: 'Medium' },
            { value: 4, label: 'Low' },
          ],
        },
      ],
      request: {
        method: 'POST',
        url: API,
        body: {
          query:
            'mutation ($input: IssueCreateInput!) { issueCreate(input: $input) { success issue { id identifier title url } } }',
          variables: {
            input: {
              teamId: '{{teamId}}',
              title: '{{title}}',
              description: '{{description}}',
              priority: '{{priority}}',
            },
          },
        },
        output: 'data.issueCreate',
      },
      docsUrl: 'https://linear.app/developers/graphql#queries-and-mutations',
    },
    {
      id: 'create-comment',
      name: 'Comment on an issue',
      scopes: ['comments:create'],
      inputs: [
        { name: 'issueId', label: 'Issue ID', required: true, example: 'f3a1c9e2-7b4d-4e58-9a06-1d2c3b4a5e6f' },
        {
          name: 'body',
          label: 'Comment',
          type: 'textarea',
          required: true,
          help: 'Markdown.',
          example: 'Reproduced on the latest build; fix is in review.',
        },
      ],
      request: {
        method: 'POST',
        url: API,
        body: {
          query:
            'mutation ($input: CommentCreateInput!) { commentCreate(input: $input) { success comment { id url } } }',
          variables: { input: { issueId: '{{issueId}}', body: '{{body}}' } },
        },
        output: 'data.commentCreate',
      },
      docsUrl: 'https://linear.app/developers/graphql#queries-and-mutations',
    },
  ],
};
