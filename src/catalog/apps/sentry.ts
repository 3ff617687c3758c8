import type { AppInput } from '../schema.ts';
import type { ModuleInput } from './types.ts';

const org: ModuleInput = {
  name: 'organization',
  label: 'Organization slug',
  required: true,
  example: 'the-interstellar-jurisdiction',
};

/**
 * Sentry web API with an auth token. The region (US or EU) decides the host;
 * the token's permissions are chosen when it is created in Sentry.
 */
export const sentry: AppInput = {
  id: 'sentry',
  name: 'Sentry',
  category: 'Developer tools',
  docsUrl: 'https://docs.sentry.io/api/',
  authDocsUrl: 'https://docs.sentry.io/api/auth/',
  scopesDocsUrl: 'https://docs.sentry.io/api/permissions/',
  connections: [
    {
      type: 'apiKey',
      keys: [{ parameter: 'authToken', in: 'header', name: 'Authorization', prefix: 'Bearer' }],
      baseUrl: 'https://{{host}}/api/0',
      verify: { url: '/organizations/', accountId: ['0.id'], accountLabel: ['0.slug'] },
      parameters: [
        {
          name: 'authToken',
          label: 'Auth token',
          type: 'password',
          required: true,
          secret: true,
          help: 'A personal or organization token from Settings → Developer Settings.',
        },
        {
          name: 'host',
          label: 'Region',
          type: 'select',
          required: true,
          advanced: true,
          editable: true,
          default: 'sentry.io',
          pattern: '^(sentry\\.io|us\\.sentry\\.io|de\\.sentry\\.io)$',
          options: [
            { value: 'sentry.io', label: 'sentry.io' },
            { value: 'us.sentry.io', label: 'United States (us.sentry.io)' },
            { value: 'de.sentry.io', label: 'European Union (de.sentry.io)' },
          ],
        },
      ],
    },
  ],
  fullAccess: {
    docsUrl: 'https://docs.sentry.io/api/permissions/',
    description:
      'The connection can do what the auth token’s permissions (chosen when you created it in Sentry) allow.',
  },
  modules: [
    {
      id: 'list-organizations',
      name: 'List organizations',
      request: { url: '/organizations/' },
      docsUrl: 'https://docs.sentry.io/api/organizations/list-your-organizations/',
    },
    {
      id: 'list-projects',
      name: 'List projects of an organization',
      inputs: [org],
      request: { url: '/organizations/{{organization}}/projects/' },
      docsUrl: 'https://docs.sentry.io/api/organizations/list-an-organizations-projects/',
    },
    {
      id: 'list-issues',
      name: 'List issues of a project',
      inputs: [
        org,
        { name: 'project', label: 'Project slug', required: true, example: 'pump-station' },
        { name: 'query', label: 'Search', default: 'is:unresolved', help: 'Sentry search syntax.' },
      ],
      request: { url: '/projects/{{organization}}/{{project}}/issues/', query: { query: '{{query}}' } },
      docsUrl: 'https://docs.sentry.io/api/events/list-a-projects-issues/',
    },
    {
      id: 'update-issue',
      name: 'Resolve, ignore or assign an issue',
      inputs: [
        org,
        { name: 'issueId', label: 'Issue ID', required: true, example: '1234567890' },
        {
          name: 'status',
          label: 'Status',
          type: 'select',
          options: [
            { value: 'resolved', label: 'Resolved' },
            { value: 'unresolved', label: 'Unresolved' },
            { value: 'ignored', label: 'Ignored' },
          ],
          example: 'resolved',
        },
        {
          name: 'assignedTo',
          label: 'Assign to',
          help: 'A username, user:<id> or team:<id>.',
          example: 'ada@example.com',
        },
      ],
      request: {
        method: 'PUT',
        url: '/organizations/{{organization}}/issues/{{issueId}}/',
        body: { status: '{{status}}', assignedTo: '{{assignedTo}}' },
      },
      docsUrl: 'https://docs.sentry.io/api/events/update-an-issue/',
    },
  ],
};
