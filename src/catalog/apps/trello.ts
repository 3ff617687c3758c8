import type { AppInput } from '../schema.ts';
import type { ModuleInput } from './types.ts';

const boardId: ModuleInput = {
  name: 'boardId',
  label: 'Board ID',
  required: true,
  example: '5abbe4b7ddc1b351ef961414',
};

/**
 * Trello REST API 1. With an API key, every request carries the Power-Up's API
 * key and the person's token as the `key` and `token` query parameters. With
 * OAuth 1.0a ("Using Basic OAuth" in the authorization guide), the person grants
 * access at Trello, and every request is signed with the API key (the consumer
 * key) and the Power-Up's secret; `scope`, `expiration` and `name` are the
 * authorize route's parameters, documented on the same page.
 */
export const trello: AppInput = {
  id: 'trello',
  name: 'Trello',
  category: 'Project management',
  docsUrl: 'https://developer.atlassian.com/cloud/trello/rest/',
  authDocsUrl: 'https://developer.atlassian.com/cloud/trello/guides/rest-api/api-introduction/',
  connections: [
    {
      type: 'apiKey',
      keys: [
        { parameter: 'apiKey', in: 'query', name: 'key' },
        { parameter: 'token', in: 'query', name: 'token' },
      ],
      baseUrl: 'https://api.trello.com/1',
      verify: { url: '/members/me', accountId: ['id'], accountLabel: ['username', 'fullName'] },
      parameters: [
        {
          name: 'apiKey',
          label: 'API key',
          type: 'password',
          required: true,
          secret: true,
          help: 'From your Power-Up’s page at trello.com/power-ups/admin.',
        },
        {
          name: 'token',
          label: 'Token',
          type: 'password',
          required: true,
          secret: true,
          help: 'Generated for your account from the API key’s “Token” link.',
        },
      ],
    },
    {
      type: 'oauth1',
      requestTokenUrl: 'https://trello.com/1/OAuthGetRequestToken',
      authorizeUrl: 'https://trello.com/1/OAuthAuthorizeToken',
      accessTokenUrl: 'https://trello.com/1/OAuthGetAccessToken',
      signatureMethod: 'HMAC-SHA1',
      authorizeParameters: { scope: 'read,write,account', expiration: 'never', name: 'Hitch' },
      baseUrl: 'https://api.trello.com/1',
      verify: { url: '/members/me', accountId: ['id'], accountLabel: ['username', 'fullName'] },
      parameters: [
        {
          name: 'consumerKey',
          label: 'API key',
          advanced: true,
          help: 'Your Power-Up’s API key (trello.com/power-ups/admin), used instead of the platform’s.',
        },
        {
          name: 'consumerSecret',
          label: 'Secret',
          type: 'password',
          secret: true,
          advanced: true,
          help: 'The secret shown beside that API key.',
        },
      ],
    },
  ],
  // The token's scope (read, write, account) and expiry are chosen when it is generated, not by Hitch.
  fullAccess: {
    docsUrl: 'https://developer.atlassian.com/cloud/trello/guides/rest-api/authorization/',
    description: 'The token can do what it was granted when you generated it (read, write, account).',
  },
  modules: [
    {
      id: 'list-boards',
      name: 'List my boards',
      inputs: [
        {
          name: 'filter',
          label: 'Filter',
          type: 'select',
          default: 'open',
          options: [
            { value: 'open', label: 'Open' },
            { value: 'closed', label: 'Closed' },
            { value: 'starred', label: 'Starred' },
            { value: 'all', label: 'All' },
          ],
        },
      ],
      request: { url: '/members/me/boards', query: { filter: '{{filter}}' } },
      docsUrl: 'https://developer.atlassian.com/cloud/trello/rest/api-group-members/#api-members-id-boards-get',
    },
    {
      id: 'list-lists',
      name: 'List the lists of a board',
      inputs: [boardId],
      request: { url: '/boards/{{boardId}}/lists' },
      docsUrl: 'https://developer.atlassian.com/cloud/trello/rest/api-group-boards/#api-boards-id-lists-get',
    },
    {
      id: 'create-card',
      name: 'Create a card',
      inputs: [
        { name: 'idList', label: 'List ID', required: true, example: '5abbe4b7ddc1b351ef961415' },
        { name: 'name', label: 'Name', required: true, example: 'Write the release notes' },
        { name: 'desc', label: 'Description', type: 'textarea', example: 'Cover the new export options.' },
        { name: 'due', label: 'Due date', help: 'ISO 8601 date-time.', example: '2025-02-14T17:00:00.000Z' },
        {
          name: 'pos',
          label: 'Position',
          type: 'select',
          default: 'bottom',
          options: [
            { value: 'top', label: 'Top' },
            { value: 'bottom', label: 'Bottom' },
          ],
        },
      ],
      request: {
        method: 'POST',
        url: '/cards',
        query: { idList: '{{idList}}', name: '{{name}}', desc: '{{desc}}', due: '{{due}}', pos: '{{pos}}' },
      },
      docsUrl: 'https://developer.atlassian.com/cloud/trello/rest/api-group-cards/#api-cards-post',
    },
    {
      id: 'add-comment',
      name: 'Comment on a card',
      inputs: [
        { name: 'cardId', label: 'Card ID', required: true, example: '5abbe4b7ddc1b351ef961416' },
        { name: 'text', label: 'Comment', type: 'textarea', required: true, example: 'Done: the draft is attached.' },
      ],
      request: { method: 'POST', url: '/cards/{{cardId}}/actions/comments', query: { text: '{{text}}' } },
      docsUrl: 'https://developer.atlassian.com/cloud/trello/rest/api-group-cards/#api-cards-id-actions-comments-post',
    },
  ],
};
