import type { AppInput } from '../schema.ts';
import type { ModuleInput } from './types.ts';

const headers = { Accept: 'application/vnd.github+json', 'X-GitHub-Api-Version': '2022-11-28' };
const owner: ModuleInput = {
  name: 'owner',
  label: 'Owner',
  required: true,
  help: 'The user or organization that owns the repository.',
  example: 'octocat',
};
const repo: ModuleInput = {
  name: 'repo',
  label: 'Repository',
  required: true,
  help: 'The repository’s name, without the owner.',
  example: 'hello-world',
};

/**
 * GitHub REST API through an OAuth app. Its access tokens do not expire and
 * come without a refresh token; the token endpoint answers form-encoded unless
 * asked for JSON.
 */
export const github: AppInput = {
  id: 'github',
  name: 'GitHub',
  category: 'Developer tools',
  docsUrl: 'https://docs.github.com/en/rest',
  authDocsUrl: 'https://docs.github.com/en/apps/oauth-apps/building-oauth-apps/authorizing-oauth-apps',
  scopesDocsUrl: 'https://docs.github.com/en/apps/oauth-apps/building-oauth-apps/scopes-for-oauth-apps',
  connections: [
    {
      type: 'oauth2',
      authorizeUrl: 'https://github.com/login/oauth/authorize',
      tokenUrl: 'https://github.com/login/oauth/access_token',
      scopeSeparator: ' ',
      tokenHeaders: { Accept: 'application/json' },
      baseUrl: 'https://api.github.com',
      verify: { url: '/user', headers, accountId: ['id'], accountLabel: ['login'] },
    },
    {
      // A GitHub App installed on a user or organization, with the platform's app (HITCH_APP_GITHUB_APP_*): the app
      // must have its Callback URL set to Hitch's /oauth/callback and "Request user authorization (OAuth) during
      // installation" on, so the install comes back with a code that proves who installed.
      // https://docs.github.com/en/apps/creating-github-apps/setting-up-a-github-app/about-the-setup-url
      // https://docs.github.com/en/apps/creating-github-apps/authenticating-with-a-github-app/generating-a-json-web-token-jwt-for-a-github-app
      // https://docs.github.com/en/apps/creating-github-apps/authenticating-with-a-github-app/generating-an-installation-access-token-for-a-github-app
      type: 'jwt',
      flow: 'installation',
      installUrl: 'https://github.com/apps/{{app_slug}}/installations/new',
      userTokenUrl: 'https://github.com/login/oauth/access_token',
      // https://docs.github.com/en/rest/apps/installations#list-app-installations-accessible-to-the-user-access-token
      userInstallationsUrl: 'https://api.github.com/user/installations',
      // https://docs.github.com/en/rest/apps/apps#create-an-installation-access-token-for-an-app
      accessTokenUrl: 'https://api.github.com/app/installations/{{installation_id}}/access_tokens',
      // https://docs.github.com/en/rest/apps/installations#revoke-an-installation-access-token
      revokeTokenUrl: 'https://api.github.com/installation/token',
      apiHeaders: headers,
      // An app JWT may live at most ten minutes.
      assertionLifetimeSeconds: 600,
      baseUrl: 'https://api.github.com',
      verify: { url: '/installation/repositories?per_page=1', headers },
    },
  ],
  scopes: [
    {
      name: 'repo',
      description: 'Full access to your public and private repositories: code, issues, pull requests, settings.',
    },
    { name: 'public_repo', description: 'Read and write your public repositories only.' },
    { name: 'read:user', description: 'Read your profile.' },
    { name: 'user:email', description: 'Read your email addresses.' },
    { name: 'read:org', description: 'Read your organizations, teams and memberships.' },
    { name: 'gist', description: 'Create and change your gists.' },
  ],
  modules: [
    {
      id: 'list-repositories',
      name: 'List my repositories',
      description: 'Repositories you own, collaborate on or reach through an organization, private ones included.',
      scopes: ['repo'],
      inputs: [
        {
          name: 'visibility',
          label: 'Visibility',
          type: 'select',
          default: 'all',
          options: [
            { value: 'all', label: 'All' },
            { value: 'public', label: 'Public' },
            { value: 'private', label: 'Private' },
          ],
        },
        {
          name: 'sort',
          label: 'Sort by',
          type: 'select',
          default: 'updated',
          options: [
            { value: 'updated', label: 'Last updated' },
            { value: 'pushed', label: 'Last pushed' },
            { value: 'full_name', label: 'Name' },
            { value: 'created', label: 'Created' },
          ],
        },
        { name: 'per_page', label: 'Maximum results', type: 'number', default: 100 },
      ],
      request: {
        url: '/user/repos',
        headers,
        query: { visibility: '{{visibility}}', sort: '{{sort}}', per_page: '{{per_page}}' },
      },
      docsUrl: 'https://docs.github.com/en/rest/repos/repos#list-repositories-for-the-authenticated-user',
    },
    {
      id: 'create-issue',
      name: 'Create an issue',
      scopes: ['repo'],
      inputs: [
        owner,
        repo,
        { name: 'title', label: 'Title', required: true, example: 'Login page returns 500 after password reset' },
        {
          name: 'body',
          label: 'Body',
          type: 'textarea',
          help: 'Markdown.',
          example: '**Steps**\n1. Reset the password\n2. Log in with the new one\n\nThe page answers 500.',
        },
        { name: 'labels', label: 'Labels', type: 'list', example: ['bug', 'high priority'] },
        { name: 'assignees', label: 'Assignees', type: 'list', help: 'GitHub logins.', example: ['octocat'] },
      ],
      request: {
        method: 'POST',
        url: '/repos/{{owner}}/{{repo}}/issues',
        headers,
        body: { title: '{{title}}', body: '{{body}}', labels: '{{labels}}', assignees: '{{assignees}}' },
      },
      docsUrl: 'https://docs.github.com/en/rest/issues/issues#create-an-issue',
    },
    {
      id: 'list-issues',
      name: 'List issues of a repository',
      scopes: ['repo'],
      inputs: [
        owner,
        repo,
        {
          name: 'state',
          label: 'State',
          type: 'select',
          default: 'open',
          options: [
            { value: 'open', label: 'Open' },
            { value: 'closed', label: 'Closed' },
            { value: 'all', label: 'All' },
          ],
        },
        { name: 'labels', label: 'Labels', help: 'Comma-separated label names.', example: 'bug,ui' },
        { name: 'per_page', label: 'Maximum results', type: 'number', default: 100 },
      ],
      request: {
        url: '/repos/{{owner}}/{{repo}}/issues',
        headers,
        query: { state: '{{state}}', labels: '{{labels}}', per_page: '{{per_page}}' },
      },
      docsUrl: 'https://docs.github.com/en/rest/issues/issues#list-repository-issues',
    },
    {
      id: 'create-comment',
      name: 'Comment on an issue or pull request',
      scopes: ['repo'],
      inputs: [
        owner,
        repo,
        {
          name: 'issue_number',
          label: 'Issue or pull request number',
          type: 'number',
          required: true,
          example: 1347,
        },
        {
          name: 'body',
          label: 'Comment',
          type: 'textarea',
          required: true,
          example: 'Fixed in the latest release, thanks for the report!',
        },
      ],
      request: {
        method: 'POST',
        url: '/repos/{{owner}}/{{repo}}/issues/{{issue_number}}/comments',
        headers,
        body: { body: '{{body}}' },
      },
      docsUrl: 'https://docs.github.com/en/rest/issues/comments#create-an-issue-comment',
    },
    {
      id: 'get-user',
      name: 'Get a user',
      description: 'The public profile of any GitHub user; needs no scope.',
      inputs: [{ name: 'username', label: 'Username', required: true, example: 'octocat' }],
      request: { url: '/users/{{username}}', headers },
      docsUrl: 'https://docs.github.com/en/rest/users/users#get-a-user',
    },
    {
      id: 'create-gist',
      name: 'Create a gist',
      scopes: ['gist'],
      inputs: [
        { name: 'description', label: 'Description', example: 'Example of a gist' },
        { name: 'public', label: 'Public', type: 'boolean', default: false },
        {
          name: 'files',
          label: 'Files',
          type: 'json',
          required: true,
          help: '{"hello.md": {"content": "# Hello"}}',
          example: { 'README.md': { content: 'Hello World' } },
        },
      ],
      request: {
        method: 'POST',
        url: '/gists',
        headers,
        body: { description: '{{description}}', public: '{{public}}', files: '{{files}}' },
      },
      docsUrl: 'https://docs.github.com/en/rest/gists/gists#create-a-gist',
    },
  ],
};
