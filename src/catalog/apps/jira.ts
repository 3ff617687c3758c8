import type { AppInput } from '../schema.ts';
import type { ModuleInput } from './types.ts';
import { ATLASSIAN_AUTH_DOCS, atlassianBaseScopes, atlassianConnection } from './atlassian-oauth.ts';

const issueIdOrKey: ModuleInput = {
  name: 'issueIdOrKey',
  label: 'Issue key or ID',
  required: true,
  help: 'e.g. PROJ-123.',
  example: 'PROJ-123',
};

/** Jira Cloud platform REST API v3 on one Atlassian site. */
export const jira: AppInput = {
  id: 'jira',
  name: 'Jira',
  category: 'Project management',
  docsUrl: 'https://developer.atlassian.com/cloud/jira/platform/rest/v3/intro/',
  authDocsUrl: ATLASSIAN_AUTH_DOCS,
  scopesDocsUrl: 'https://developer.atlassian.com/cloud/jira/platform/scopes-for-oauth-2-3LO-and-forge-apps/',
  connections: [atlassianConnection('jira')],
  scopes: [
    ...atlassianBaseScopes,
    { name: 'read:jira-work', description: 'Read projects, issues, comments and worklogs you can see in Jira.' },
    { name: 'write:jira-work', description: 'Create and edit issues, comments and worklogs in Jira.' },
    { name: 'read:jira-user', description: 'See users, groups and their details in Jira.' },
  ],
  modules: [
    {
      id: 'create-issue',
      name: 'Create an issue',
      scopes: ['write:jira-work'],
      inputs: [
        { name: 'projectKey', label: 'Project key', required: true, help: 'e.g. PROJ.', example: 'PROJ' },
        {
          name: 'issueType',
          label: 'Issue type',
          required: true,
          default: 'Task',
          help: 'The type’s name, e.g. Task, Bug, Story.',
        },
        { name: 'summary', label: 'Summary', required: true, example: 'Checkout button does nothing on Safari' },
        {
          name: 'description',
          label: 'Description',
          type: 'json',
          help: 'An Atlassian Document Format document: {"type": "doc", "version": 1, "content": [...]}.',
          example: {
            type: 'doc',
            version: 1,
            content: [
              {
                type: 'paragraph',
                content: [
                  { type: 'text', text: 'Clicking “Pay now” on Safari 17 shows no error and places no order.' },
                ],
              },
            ],
          },
        },
      ],
      request: {
        method: 'POST',
        url: '/rest/api/3/issue',
        body: {
          fields: {
            project: { key: '{{projectKey}}' },
            issuetype: { name: '{{issueType}}' },
            summary: '{{summary}}',
            description: '{{description}}',
          },
        },
      },
      docsUrl:
        'https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/#api-rest-api-3-issue-post',
    },
    {
      id: 'search-issues',
      name: 'Search issues with JQL',
      scopes: ['read:jira-work'],
      inputs: [
        {
          name: 'jql',
          label: 'JQL',
          required: true,
          help: 'e.g. `project = PROJ AND status = "In Progress" ORDER BY created DESC`.',
          example: 'project = PROJ AND status = "In Progress" ORDER BY created DESC',
        },
        {
          name: 'fields',
          label: 'Fields',
          default: 'summary,status,assignee,created',
          help: 'Comma-separated; `*all` for every field.',
        },
        { name: 'maxResults', label: 'Maximum results', type: 'number', default: 50 },
      ],
      request: {
        url: '/rest/api/3/search/jql',
        query: { jql: '{{jql}}', fields: '{{fields}}', maxResults: '{{maxResults}}' },
        output: 'issues',
      },
      docsUrl:
        'https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-search/#api-rest-api-3-search-jql-get',
    },
    {
      id: 'get-issue',
      name: 'Get an issue',
      scopes: ['read:jira-work'],
      inputs: [issueIdOrKey],
      request: { url: '/rest/api/3/issue/{{issueIdOrKey}}' },
      docsUrl:
        'https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/#api-rest-api-3-issue-issueidorkey-get',
    },
    {
      id: 'add-comment',
      name: 'Comment on an issue',
      scopes: ['write:jira-work'],
      inputs: [
        issueIdOrKey,
        {
          name: 'body',
          label: 'Comment',
          type: 'json',
          required: true,
          help: 'An Atlassian Document Format document.',
          example: {
            type: 'doc',
            version: 1,
            content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Fixed in release 2.4; please retest.' }] }],
          },
        },
      ],
      request: { method: 'POST', url: '/rest/api/3/issue/{{issueIdOrKey}}/comment', body: { body: '{{body}}' } },
      docsUrl:
        'https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-comments/#api-rest-api-3-issue-issueidorkey-comment-post',
    },
    {
      id: 'find-users',
      name: 'Find users',
      scopes: ['read:jira-user'],
      inputs: [{ name: 'query', label: 'Name or email', required: true, example: 'ada.lovelace@example.com' }],
      request: { url: '/rest/api/3/user/search', query: { query: '{{query}}' } },
      docsUrl:
        'https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-user-search/#api-rest-api-3-user-search-get',
    },
  ],
};
