import type { AppInput } from '../schema.ts';

/**
 * Freshdesk: the agent's API key sent as the Basic user name, with any
 * password (Freshdesk's own examples use X). The key acts with the agent's
 * full permissions.
 */
export const freshdesk: AppInput = {
  id: 'freshdesk',
  name: 'Freshdesk',
  category: 'Customer support',
  docsUrl: 'https://developers.freshdesk.com/api/#authentication',
  connections: [
    {
      type: 'basic',
      usernameParameter: 'apiKey',
      passwordParameter: 'password',
      baseUrl: 'https://{{domain}}.freshdesk.com',
      verify: { url: '/api/v2/agents/me', accountId: ['id'], accountLabel: ['contact.email', 'contact.name'] },
      parameters: [
        {
          name: 'domain',
          label: 'Freshdesk subdomain',
          required: true,
          pattern: '[a-z0-9][a-z0-9-]{0,62}',
          help: 'The first part of your helpdesk address: acme for acme.freshdesk.com.',
        },
        {
          name: 'apiKey',
          label: 'API key',
          type: 'password',
          required: true,
          secret: true,
          help: 'Profile settings → View API key.',
        },
        {
          name: 'password',
          label: 'Password',
          type: 'password',
          secret: true,
          advanced: true,
          default: 'X',
          help: 'Freshdesk ignores it; leave X.',
        },
      ],
    },
  ],
  fullAccess: {
    docsUrl: 'https://support.freshdesk.com/support/solutions/articles/215517-how-to-find-your-api-key',
    description: 'An API key can do everything its agent can do.',
  },
  modules: [
    {
      id: 'create-ticket',
      name: 'Create a ticket',
      inputs: [
        { name: 'email', label: 'Requester email', required: true, example: 'ada.lovelace@example.com' },
        { name: 'subject', label: 'Subject', required: true, example: 'Cannot reset my password' },
        {
          name: 'description',
          label: 'Description (HTML)',
          type: 'textarea',
          required: true,
          example: '<p>The reset link in the email says it has expired.</p>',
        },
        {
          name: 'priority',
          label: 'Priority',
          type: 'select',
          default: 1,
          options: [
            { value: 1, label: 'Low' },
            { value: 2, label: 'Medium' },
            { value: 3, label: 'High' },
            { value: 4, label: 'Urgent' },
          ],
        },
        {
          name: 'status',
          label: 'Status',
          type: 'select',
          default: 2,
          options: [
            { value: 2, label: 'Open' },
            { value: 3, label: 'Pending' },
            { value: 4, label: 'Resolved' },
            { value: 5, label: 'Closed' },
          ],
        },
      ],
      request: {
        method: 'POST',
        url: '/api/v2/tickets',
        body: {
          email: '{{email}}',
          subject: '{{subject}}',
          description: '{{description}}',
          priority: '{{priority}}',
          status: '{{status}}',
        },
      },
      docsUrl: 'https://developers.freshdesk.com/api/#create_ticket',
    },
    {
      id: 'get-ticket',
      name: 'Get a ticket',
      inputs: [{ name: 'ticketId', label: 'Ticket ID', type: 'number', required: true, example: 1042 }],
      request: { method: 'GET', url: '/api/v2/tickets/{{ticketId}}' },
      docsUrl: 'https://developers.freshdesk.com/api/#view_a_ticket',
    },
    {
      id: 'reply-ticket',
      name: 'Reply to a ticket',
      inputs: [
        { name: 'ticketId', label: 'Ticket ID', type: 'number', required: true, example: 1042 },
        {
          name: 'body',
          label: 'Reply (HTML)',
          type: 'textarea',
          required: true,
          example: '<p>Thanks for writing in. We have sent you a new reset link.</p>',
        },
      ],
      request: { method: 'POST', url: '/api/v2/tickets/{{ticketId}}/reply', body: { body: '{{body}}' } },
      docsUrl: 'https://developers.freshdesk.com/api/#reply_ticket',
    },
    {
      id: 'create-contact',
      name: 'Create a contact',
      inputs: [
        { name: 'name', label: 'Name', required: true, example: 'Ada Lovelace' },
        { name: 'email', label: 'Email', example: 'ada.lovelace@example.com' },
        { name: 'phone', label: 'Phone', example: '+1 555 010 0123' },
      ],
      request: {
        method: 'POST',
        url: '/api/v2/contacts',
        body: { name: '{{name}}', email: '{{email}}', phone: '{{phone}}' },
      },
      docsUrl: 'https://developers.freshdesk.com/api/#create_contact',
    },
  ],
};
