import type { AppInput } from '../schema.ts';
import type { ModuleInput } from './types.ts';

const workspace: ModuleInput = {
  name: 'workspace',
  label: 'Workspace',
  required: true,
  help: 'The workspace’s ID (slug), as in bitbucket.org/<workspace>.',
  example: 'acme-engineering',
};
const repoSlug: ModuleInput = {
  name: 'repoSlug',
  label: 'Repository',
  required: true,
  help: 'The repository’s slug.',
  example: 'web-storefront',
};

/**
 * Bitbucket Cloud REST API 2.0. OAuth 2.0 through an OAuth consumer (access
 * tokens last two hours, with a refresh token), or an Atlassian account email
 * with an API token over HTTP Basic.
 */
export const bitbucket: AppInput = {
  id: 'bitbucket',
  name: 'Bitbucket',
  category: 'Developer tools',
  docsUrl: 'https://developer.atlassian.com/cloud/bitbucket/rest/intro/',
  authDocsUrl: 'https://developer.atlassian.com/cloud/bitbucket/oauth-2/',
  connections: [
    {
      type: 'oauth2',
      authorizeUrl: 'https://bitbucket.org/site/oauth2/authorize',
      tokenUrl: 'https://bitbucket.org/site/oauth2/access_token',
      clientAuth: 'client_secret_basic',
      baseUrl: 'https://api.bitbucket.org/2.0',
      verify: { url: '/user', accountId: ['uuid'], accountLabel: ['username', 'display_name'] },
    },
    {
      type: 'basic',
      usernameParameter: 'email',
      passwordParameter: 'apiToken',
      baseUrl: 'https://api.bitbucket.org/2.0',
      verify: { url: '/user', accountId: ['uuid'], accountLabel: ['username', 'display_name'] },
      parameters: [
        { name: 'email', label: 'Atlassian account email', required: true },
        {
          name: 'apiToken',
          label: 'API token',
          type: 'password',
          required: true,
          secret: true,
          help: 'An API token with Bitbucket scopes, created in your Atlassian account settings.',
        },
      ],
    },
  ],
  // The consumer's (or API token's) permissions, chosen in Bitbucket, decide the access; the authorize request does not narrow it.
  fullAccess: {
    docsUrl: 'https://developer.atlassian.com/cloud/bitbucket/oauth-2/',
    description: 'Access is what the OAuth consumer’s (or API token’s) permissions allow, as set in Bitbucket.',
  },
  modules: [
    {
      id: 'list-repositories',
      name: 'List repositories of a workspace',
      inputs: [workspace],
      request: { url: '/repositories/{{workspace}}', output: 'values' },
      docsUrl:
        'https://developer.atlassian.com/cloud/bitbucket/rest/api-group-repositories/#api-repositories-workspace-get',
    },
    {
      id: 'list-pull-requests',
      name: 'List pull requests',
      inputs: [
        workspace,
        repoSlug,
        {
          name: 'state',
          label: 'State',
          type: 'select',
          default: 'OPEN',
          options: [
            { value: 'OPEN', label: 'Open' },
            { value: 'MERGED', label: 'Merged' },
            { value: 'DECLINED', label: 'Declined' },
            { value: 'SUPERSEDED', label: 'Superseded' },
          ],
        },
      ],
      request: {
        url: '/repositories/{{workspace}}/{{repoSlug}}/pullrequests',
        query: { state: '{{state}}' },
        output: 'values',
      },
      docsUrl:
        'https://developer.atlassian.com/cloud/bitbucket/rest/api-group-pullrequests/#api-repositories-workspace-repo-slug-pullrequests-get',
    },
    {
      id: 'create-pull-request',
      name: 'Create a pull request',
      inputs: [
        workspace,
        repoSlug,
        { name: 'title', label: 'Title', required: true, example: 'Add password reset form' },
        { name: 'sourceBranch', label: 'Source branch', required: true, example: 'feature/password-reset' },
        {
          name: 'destinationBranch',
          label: 'Destination branch',
          help: 'The repository’s main branch when empty.',
          example: 'main',
        },
        {
          name: 'description',
          label: 'Description',
          type: 'textarea',
          example: 'Adds the reset form and the email it sends. Closes #42.',
        },
      ],
      request: {
        method: 'POST',
        url: '/repositories/{{workspace}}/{{repoSlug}}/pullrequests',
        body: {
          title: '{{title}}',
          source: { branch: { name: '{{sourceBranch}}' } },
          destination: { branch: { name: '{{destinationBranch}}' } },
          description: '{{description}}',
        },
      },
      docsUrl:
        'https://developer.atlassian.com/cloud/bitbucket/rest/api-group-pullrequests/#api-repositories-workspace-repo-slug-pullrequests-post',
    },
    {
      id: 'list-commits',
      name: 'List commits',
      inputs: [workspace, repoSlug],
      request: { url: '/repositories/{{workspace}}/{{repoSlug}}/commits', output: 'values' },
      docsUrl:
        'https://developer.atlassian.com/cloud/bitbucket/rest/api-group-commits/#api-repositories-workspace-repo-slug-commits-get',
    },
  ],
};
