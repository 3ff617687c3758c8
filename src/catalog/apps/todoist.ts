import type { AppInput } from '../schema.ts';

/**
 * Todoist API v1 (which replaced the REST v2 and Sync v9 APIs). Scopes are
 * separated by commas; OAuth access tokens do not expire. Lists come back
 * as `{results, next_cursor}`.
 */
export const todoist: AppInput = {
  id: 'todoist',
  name: 'Todoist',
  category: 'Productivity',
  docsUrl: 'https://developer.todoist.com/api/v1/',
  authDocsUrl: 'https://developer.todoist.com/api/v1/#tag/Authorization',
  scopesDocsUrl: 'https://developer.todoist.com/api/v1/#tag/Authorization/OAuth',
  connections: [
    {
      type: 'oauth2',
      authorizeUrl: 'https://todoist.com/oauth/authorize',
      tokenUrl: 'https://todoist.com/oauth/access_token',
      scopeSeparator: ',',
      baseUrl: 'https://api.todoist.com/api/v1',
      verify: { url: '/user', accountId: ['id'], accountLabel: ['email', 'full_name'] },
    },
    {
      type: 'apiKey',
      keys: [{ parameter: 'apiToken', in: 'header', name: 'Authorization', prefix: 'Bearer' }],
      baseUrl: 'https://api.todoist.com/api/v1',
      verify: { url: '/user', accountId: ['id'], accountLabel: ['email', 'full_name'] },
      parameters: [
        {
          name: 'apiToken',
          label: 'API token',
          type: 'password',
          required: true,
          secret: true,
          help: 'Settings → Integrations → Developer.',
        },
      ],
    },
  ],
  scopes: [
    { name: 'task:add', description: 'Add new tasks, without seeing or changing anything else.' },
    { name: 'data:read', description: 'See your tasks, projects, labels and filters.' },
    { name: 'data:read_write', description: 'See and change your tasks, projects, labels and filters.' },
    { name: 'data:delete', description: 'Delete your tasks, projects, labels and filters.' },
  ],
  modules: [
    {
      id: 'create-task',
      name: 'Add a task',
      scopes: ['task:add'],
      inputs: [
        { name: 'content', label: 'Task', required: true, help: 'Markdown is allowed.', example: 'Buy milk' },
        { name: 'description', label: 'Description', type: 'textarea', example: 'Whole milk, two liters.' },
        { name: 'project_id', label: 'Project ID', help: 'The Inbox when empty.', example: '6Jf8VQXxpwv56VQ7' },
        {
          name: 'due_string',
          label: 'Due',
          help: 'In words, e.g. “tomorrow at 9” or “every monday”.',
          example: 'tomorrow at 9',
        },
        {
          name: 'priority',
          label: 'Priority',
          type: 'select',
          options: [
            { value: 4, label: 'P1 (urgent)' },
            { value: 3, label: 'P2' },
            { value: 2, label: 'P3' },
            { value: 1, label: 'P4 (normal)' },
          ],
          example: 3,
        },
        { name: 'labels', label: 'Labels', type: 'list', example: ['errands'] },
      ],
      request: {
        method: 'POST',
        url: '/tasks',
        body: {
          content: '{{content}}',
          description: '{{description}}',
          project_id: '{{project_id}}',
          due_string: '{{due_string}}',
          priority: '{{priority}}',
          labels: '{{labels}}',
        },
      },
    },
    {
      id: 'list-tasks',
      name: 'List active tasks',
      scopes: ['data:read'],
      inputs: [
        { name: 'project_id', label: 'Project ID', example: '6Jf8VQXxpwv56VQ7' },
        { name: 'label', label: 'Label', example: 'errands' },
      ],
      request: { url: '/tasks', query: { project_id: '{{project_id}}', label: '{{label}}' }, output: 'results' },
    },
    {
      id: 'close-task',
      name: 'Complete a task',
      scopes: ['data:read_write'],
      inputs: [{ name: 'taskId', label: 'Task ID', required: true, example: '6X7rM8997g3RQmvh' }],
      request: { method: 'POST', url: '/tasks/{{taskId}}/close' },
    },
    {
      id: 'list-projects',
      name: 'List projects',
      scopes: ['data:read'],
      request: { url: '/projects', output: 'results' },
    },
  ],
};
