import type { AppInput } from '../schema.ts';
import type { ModuleInput } from './types.ts';

const projectId: ModuleInput = {
  name: 'projectId',
  label: 'Project ID',
  required: true,
  help: 'The numeric ID, or the path URL-encoded (group%2Fproject).',
  example: '278964',
};

/**
 * GitLab REST API v4 on GitLab.com. Access tokens last two hours and come with
 * a refresh token. For a self-managed GitLab, an administrator overrides this
 * app (same id) with the instance's URLs in HITCH_APPS_DIR.
 */
export const gitlab: AppInput = {
  id: 'gitlab',
  name: 'GitLab',
  category: 'Developer tools',
  docsUrl: 'https://docs.gitlab.com/api/rest/',
  authDocsUrl: 'https://docs.gitlab.com/api/oauth2/',
  scopesDocsUrl: 'https://docs.gitlab.com/integration/oauth_provider/',
  connections: [
    {
      type: 'oauth2',
      authorizeUrl: 'https://gitlab.com/oauth/authorize',
      tokenUrl: 'https://gitlab.com/oauth/token',
      revokeUrl: 'https://gitlab.com/oauth/revoke',
      scopeSeparator: ' ',
      baseScopes: ['read_user'],
      baseUrl: 'https://gitlab.com/api/v4',
      verify: { url: '/user', accountId: ['id'], accountLabel: ['username', 'email'] },
    },
  ],
  scopes: [
    {
      name: 'api',
      description:
        'Full read and write access to the API: all your groups and projects, issues, merge requests and the registry.',
    },
    { name: 'read_api', description: 'Read access to the API: your groups, projects, issues and merge requests.' },
    { name: 'read_user', description: 'Read your profile (username, public email, full name).' },
    {
      name: 'read_repository',
      description: 'Read your private repositories’ files through Git over HTTP and the repository files API.',
    },
  ],
  modules: [
    {
      id: 'list-projects',
      name: 'List my projects',
      scopes: ['read_api'],
      inputs: [
        { name: 'search', label: 'Search', help: 'Part of the project’s name.', example: 'website' },
        { name: 'per_page', label: 'Maximum results', type: 'number', default: 100 },
      ],
      request: { url: '/projects', query: { membership: 'true', search: '{{search}}', per_page: '{{per_page}}' } },
      docsUrl: 'https://docs.gitlab.com/api/projects/#list-all-projects',
    },
    {
      id: 'list-issues',
      name: 'List issues of a project',
      scopes: ['read_api'],
      inputs: [
        projectId,
        {
          name: 'state',
          label: 'State',
          type: 'select',
          default: 'opened',
          options: [
            { value: 'opened', label: 'Open' },
            { value: 'closed', label: 'Closed' },
            { value: 'all', label: 'All' },
          ],
        },
        { name: 'labels', label: 'Labels', help: 'Comma-separated label names.', example: 'bug,frontend' },
      ],
      request: { url: '/projects/{{projectId}}/issues', query: { state: '{{state}}', labels: '{{labels}}' } },
      docsUrl: 'https://docs.gitlab.com/api/issues/#list-project-issues',
    },
    {
      id: 'create-issue',
      name: 'Create an issue',
      scopes: ['api'],
      inputs: [
        projectId,
        { name: 'title', label: 'Title', required: true, example: 'Search returns no results for accented words' },
        {
          name: 'description',
          label: 'Description',
          type: 'textarea',
          help: 'Markdown.',
          example: 'Searching for **café** finds nothing, though several pages contain it.',
        },
        { name: 'labels', label: 'Labels', help: 'Comma-separated label names.', example: 'bug,search' },
      ],
      request: {
        method: 'POST',
        url: '/projects/{{projectId}}/issues',
        body: { title: '{{title}}', description: '{{description}}', labels: '{{labels}}' },
      },
      docsUrl: 'https://docs.gitlab.com/api/issues/#new-issue',
    },
    {
      id: 'create-merge-request',
      name: 'Create a merge request',
      scopes: ['api'],
      inputs: [
        projectId,
        { name: 'source_branch', label: 'Source branch', required: true, example: 'fix-accented-search' },
        { name: 'target_branch', label: 'Target branch', required: true, example: 'main' },
        { name: 'title', label: 'Title', required: true, example: 'Fix search for accented words' },
        {
          name: 'description',
          label: 'Description',
          type: 'textarea',
          example: 'Normalizes the query before searching. Closes #17.',
        },
      ],
      request: {
        method: 'POST',
        url: '/projects/{{projectId}}/merge_requests',
        body: {
          source_branch: '{{source_branch}}',
          target_branch: '{{target_branch}}',
          title: '{{title}}',
          description: '{{description}}',
        },
      },
      docsUrl: 'https://docs.gitlab.com/api/merge_requests/#create-mr',
    },
  ],
};
