import type { AppInput } from '../schema.ts';
import type { ModuleInput } from './types.ts';

const workspace: ModuleInput = {
  name: 'workspace',
  label: 'Workspace ID',
  required: true,
  help: 'The gid from “List workspaces”.',
  example: '1201994286352742',
};

/** Asana REST API 1.0. Answers wrap their content in `data`. */
export const asana: AppInput = {
  id: 'asana',
  name: 'Asana',
  category: 'Project management',
  docsUrl: 'https://developers.asana.com/reference/rest-api-reference',
  authDocsUrl: 'https://developers.asana.com/docs/oauth',
  scopesDocsUrl: 'https://developers.asana.com/docs/oauth-scopes',
  connections: [
    {
      type: 'oauth2',
      authorizeUrl: 'https://app.asana.com/-/oauth_authorize',
      tokenUrl: 'https://app.asana.com/-/oauth_token',
      revokeUrl: 'https://app.asana.com/-/oauth_revoke',
      scopeSeparator: ' ',
      baseScopes: ['users:read'],
      baseUrl: 'https://app.asana.com/api/1.0',
      verify: { url: '/users/me', accountId: ['data.gid'], accountLabel: ['data.email', 'data.name'] },
    },
    {
      type: 'apiKey',
      keys: [{ parameter: 'token', in: 'header', name: 'Authorization', prefix: 'Bearer' }],
      baseUrl: 'https://app.asana.com/api/1.0',
      verify: { url: '/users/me', accountId: ['data.gid'], accountLabel: ['data.email', 'data.name'] },
      parameters: [
        {
          name: 'token',
          label: 'Personal access token',
          type: 'password',
          required: true,
          secret: true,
          help: 'Created in the Asana developer console; it can do everything you can.',
        },
      ],
    },
  ],
  scopes: [
    { name: 'users:read', description: 'See people’s names, emails and photos.' },
    { name: 'workspaces:read', description: 'See your workspaces and organizations.' },
    { name: 'projects:read', description: 'See projects.' },
    { name: 'tasks:read', description: 'See tasks and their details.' },
    { name: 'tasks:write', description: 'Create and change tasks.' },
  ],
  modules: [
    {
      id: 'list-workspaces',
      name: 'List workspaces',
      scopes: ['workspaces:read'],
      request: { url: '/workspaces', output: 'data' },
      docsUrl: 'https://developers.asana.com/reference/getworkspaces',
    },
    {
      id: 'list-projects',
      name: 'List projects',
      scopes: ['projects:read'],
      inputs: [workspace, { name: 'archived', label: 'Archived', type: 'boolean', default: false }],
      request: { url: '/projects', query: { workspace: '{{workspace}}', archived: '{{archived}}' }, output: 'data' },
      docsUrl: 'https://developers.asana.com/reference/getprojects',
    },
    {
      id: 'list-tasks',
      name: 'List tasks of a project',
      scopes: ['tasks:read'],
      inputs: [
        { name: 'project', label: 'Project ID', required: true, example: '1204172651392045' },
        {
          name: 'completed_since',
          label: 'Completed since',
          default: 'now',
          help: '`now` for incomplete tasks only, or an ISO 8601 date-time.',
        },
        { name: 'opt_fields', label: 'Fields', default: 'name,completed,due_on,assignee.name,permalink_url' },
      ],
      request: {
        url: '/tasks',
        query: { project: '{{project}}', completed_since: '{{completed_since}}', opt_fields: '{{opt_fields}}' },
        output: 'data',
      },
      docsUrl: 'https://developers.asana.com/reference/gettasks',
    },
    {
      id: 'get-task',
      name: 'Get a task',
      scopes: ['tasks:read'],
      inputs: [{ name: 'taskId', label: 'Task ID', required: true, example: '1205836472910384' }],
      request: { url: '/tasks/{{taskId}}', output: 'data' },
      docsUrl: 'https://developers.asana.com/reference/gettask',
    },
    {
      id: 'create-task',
      name: 'Create a task',
      scopes: ['tasks:write'],
      inputs: [
        { name: 'name', label: 'Name', required: true, example: 'Draft the Q3 launch announcement' },
        {
          name: 'notes',
          label: 'Notes',
          type: 'textarea',
          example: 'Two paragraphs for the blog, reviewed by marketing before Friday.',
        },
        {
          name: 'projects',
          label: 'Project IDs',
          type: 'list',
          help: 'Projects to add the task to; or give a workspace.',
          example: ['1204172651392045'],
        },
        {
          name: 'workspace',
          label: 'Workspace ID',
          help: 'Needed when no project is given.',
          example: '1201994286352742',
        },
        { name: 'assignee', label: 'Assignee', help: 'A user gid, an email, or `me`.', example: 'me' },
        { name: 'due_on', label: 'Due date', help: 'YYYY-MM-DD.', example: '2025-07-15' },
      ],
      request: {
        method: 'POST',
        url: '/tasks',
        body: {
          data: {
            name: '{{name}}',
            notes: '{{notes}}',
            projects: '{{projects}}',
            workspace: '{{workspace}}',
            assignee: '{{assignee}}',
            due_on: '{{due_on}}',
          },
        },
        output: 'data',
      },
      docsUrl: 'https://developers.asana.com/reference/createtask',
    },
  ],
};
