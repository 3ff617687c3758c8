import type { AppInput } from '../schema.ts';

/**
 * Zendesk Support: OAuth 2.0 on the account's own subdomain. Scopes are
 * `read`, `write`, or per resource (`tickets:read`). Access tokens do not
 * expire unless the client asks for an expiry.
 */
export const zendesk: AppInput = {
  id: 'zendesk',
  name: 'Zendesk',
  category: 'Customer support',
  docsUrl: 'https://developer.zendesk.com/documentation/authentication/creating-and-using-oauth-tokens-with-the-api',
  authDocsUrl:
    'https://developer.zendesk.com/documentation/authentication/creating-and-using-oauth-tokens-with-the-api',
  connections: [
    {
      type: 'oauth2',
      authorizeUrl: 'https://{{subdomain}}.zendesk.com/oauth/authorizations/new',
      tokenUrl: 'https://{{subdomain}}.zendesk.com/oauth/tokens',
      baseUrl: 'https://{{subdomain}}.zendesk.com',
      verify: { url: '/api/v2/users/me', accountId: ['user.id'], accountLabel: ['user.email', 'user.name'] },
      parameters: [
        {
          name: 'subdomain',
          label: 'Zendesk subdomain',
          required: true,
          pattern: '[a-z0-9][a-z0-9-]{0,62}',
          help: 'The first part of your Zendesk address: acme for acme.zendesk.com.',
        },
      ],
    },
  ],
  scopesDocsUrl: 'https://developer.zendesk.com/api-reference/ticketing/oauth/oauth_tokens/',
  scopes: [
    { name: 'read', description: 'See everything your Zendesk user can see.' },
    { name: 'write', description: 'Create, change and delete anything your Zendesk user can.' },
    { name: 'tickets:read', description: 'See tickets.' },
    { name: 'tickets:write', description: 'Create and change tickets.' },
    { name: 'users:read', description: 'See users.' },
  ],
  modules: [
    {
      id: 'create-ticket',
      name: 'Create a ticket',
      scopes: ['tickets:write'],
      inputs: [
        { name: 'subject', label: 'Subject', required: true, example: 'My printer is on fire!' },
        {
          name: 'body',
          label: 'Description',
          type: 'textarea',
          required: true,
          example: 'The smoke is very colorful.',
        },
        { name: 'requesterEmail', label: 'Requester email', example: 'ada@example.com' },
        {
          name: 'priority',
          label: 'Priority',
          type: 'select',
          options: [
            { value: 'low', label: 'Low' },
            { value: 'normal', label: 'Normal' },
            { value: 'high', label: 'High' },
            { value: 'urgent', label: 'Urgent' },
          ],
          example: 'urgent',
        },
      ],
      request: {
        method: 'POST',
        url: '/api/v2/tickets',
        body: {
          ticket: {
            subject: '{{subject}}',
            comment: { body: '{{body}}' },
            requester: { email: '{{requesterEmail}}' },
            priority: '{{priority}}',
          },
        },
        output: 'ticket',
      },
      docsUrl: 'https://developer.zendesk.com/api-reference/ticketing/tickets/tickets/',
    },
    {
      id: 'get-ticket',
      name: 'Get a ticket',
      scopes: ['tickets:read'],
      inputs: [{ name: 'ticketId', label: 'Ticket ID', type: 'number', required: true, example: 35436 }],
      request: { method: 'GET', url: '/api/v2/tickets/{{ticketId}}', output: 'ticket' },
      docsUrl: 'https://developer.zendesk.com/api-reference/ticketing/tickets/tickets/',
    },
    {
      id: 'add-comment',
      name: 'Add a comment to a ticket',
      scopes: ['tickets:write'],
      inputs: [
        { name: 'ticketId', label: 'Ticket ID', type: 'number', required: true, example: 35436 },
        {
          name: 'body',
          label: 'Comment',
          type: 'textarea',
          required: true,
          example: 'Thanks for letting us know. A technician is on the way.',
        },
        { name: 'public', label: 'Visible to the requester', type: 'boolean', default: true },
      ],
      request: {
        method: 'PUT',
        url: '/api/v2/tickets/{{ticketId}}',
        body: { ticket: { comment: { body: '{{body}}', public: '{{public}}' } } },
        output: 'ticket',
      },
      docsUrl: 'https://developer.zendesk.com/api-reference/ticketing/tickets/tickets/',
    },
    {
      id: 'search',
      name: 'Search tickets, users and organizations',
      scopes: ['read'],
      inputs: [
        {
          name: 'query',
          label: 'Query',
          required: true,
          help: 'Zendesk search syntax, e.g. type:ticket status:open.',
          example: 'type:ticket status:open',
        },
      ],
      request: { method: 'GET', url: '/api/v2/search', query: { query: '{{query}}' }, output: 'results' },
      docsUrl: 'https://developer.zendesk.com/api-reference/ticketing/ticket-management/search/',
    },
  ],
};
