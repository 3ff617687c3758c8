import type { AppInput } from '../schema.ts';
import type { ModuleInput } from './types.ts';

const listId: ModuleInput = { name: 'listId', label: 'List ID', required: true, example: '901204775882' };

/**
 * ClickUp API v2. OAuth access tokens do not expire; ClickUp has no scopes:
 * the person picks the Workspaces the app may use while authorizing.
 */
export const clickup: AppInput = {
  id: 'clickup',
  name: 'ClickUp',
  category: 'Project management',
  docsUrl: 'https://developer.clickup.com/reference',
  authDocsUrl: 'https://developer.clickup.com/docs/authentication',
  connections: [
    {
      type: 'oauth2',
      authorizeUrl: 'https://app.clickup.com/api',
      tokenUrl: 'https://api.clickup.com/api/v2/oauth/token',
      baseUrl: 'https://api.clickup.com/api/v2',
      verify: { url: '/user', accountId: ['user.id'], accountLabel: ['user.email', 'user.username'] },
    },
    {
      type: 'apiKey',
      // Personal tokens (pk_…) go in the Authorization header as they are.
      keys: [{ parameter: 'apiToken', in: 'header', name: 'Authorization' }],
      baseUrl: 'https://api.clickup.com/api/v2',
      verify: { url: '/user', accountId: ['user.id'], accountLabel: ['user.email', 'user.username'] },
      parameters: [
        {
          name: 'apiToken',
          label: 'Personal API token',
          type: 'password',
          required: true,
          secret: true,
          pattern: '^pk_\\S+$',
          help: 'Settings → Apps → API Token; it starts with pk_.',
        },
      ],
    },
  ],
  fullAccess: {
    docsUrl: 'https://developer.clickup.com/docs/authentication',
    description: 'ClickUp has no scopes: the connection can do what you can in the Workspaces you authorize.',
  },
  modules: [
    {
      id: 'list-workspaces',
      name: 'List Workspaces',
      description: 'The Workspaces (called teams in the API) the connection may use.',
      request: { url: '/team', output: 'teams' },
      docsUrl: 'https://developer.clickup.com/reference/getauthorizedteams',
    },
    {
      id: 'list-spaces',
      name: 'List Spaces of a Workspace',
      inputs: [{ name: 'teamId', label: 'Workspace ID', required: true, example: '9012345678' }],
      request: { url: '/team/{{teamId}}/space', output: 'spaces' },
      docsUrl: 'https://developer.clickup.com/reference/getspaces',
    },
    {
      id: 'list-tasks',
      name: 'List tasks of a list',
      inputs: [listId, { name: 'include_closed', label: 'Include closed tasks', type: 'boolean', default: false }],
      request: { url: '/list/{{listId}}/task', query: { include_closed: '{{include_closed}}' }, output: 'tasks' },
      docsUrl: 'https://developer.clickup.com/reference/gettasks',
    },
    {
      id: 'get-task',
      name: 'Get a task',
      inputs: [{ name: 'taskId', label: 'Task ID', required: true, example: '86b2x7k4q' }],
      request: { url: '/task/{{taskId}}' },
      docsUrl: 'https://developer.clickup.com/reference/gettask',
    },
    {
      id: 'create-task',
      name: 'Create a task',
      inputs: [
        listId,
        { name: 'name', label: 'Name', required: true, example: 'Prepare the onboarding checklist' },
        {
          name: 'description',
          label: 'Description',
          type: 'textarea',
          example: 'List the accounts and documents a new hire needs in week one.',
        },
        {
          name: 'assignees',
          label: 'Assignees',
          type: 'json',
          help: 'An array of user IDs: [183].',
          example: [183],
        },
        {
          name: 'due_date',
          label: 'Due date',
          type: 'number',
          help: 'Unix time in milliseconds.',
          example: 1751328000000,
        },
        {
          name: 'priority',
          label: 'Priority',
          type: 'select',
          example: 3,
          options: [
            { value: 1, label: 'Urgent' },
            { value: 2, label: 'High' },
            { value: 3, label: 'Normal' },
            { value: 4, label: 'Low' },
          ],
        },
      ],
      request: {
        method: 'POST',
        url: '/list/{{listId}}/task',
        body: {
          name: '{{name}}',
          description: '{{description}}',
          assignees: '{{assignees}}',
          due_date: '{{due_date}}',
          priority: '{{priority}}',
        },
      },
      docsUrl: 'https://developer.clickup.com/reference/createtask',
    },
  ],
};
