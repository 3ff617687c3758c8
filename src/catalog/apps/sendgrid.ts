import type { AppInput } from '../schema.ts';

/**
 * SendGrid (Twilio SendGrid) v3 API: an API key sent as a Bearer token. Keys
 * can be full access or restricted to chosen permissions, such as Mail Send
 * only.
 */
export const sendgrid: AppInput = {
  id: 'sendgrid',
  name: 'SendGrid',
  category: 'Email',
  docsUrl: 'https://www.twilio.com/docs/sendgrid/api-reference/how-to-use-the-sendgrid-v3-api/authentication',
  connections: [
    {
      type: 'apiKey',
      keys: [{ parameter: 'apiKey', in: 'header', name: 'Authorization', prefix: 'Bearer' }],
      baseUrl: 'https://{{apiHost}}',
      // Any key may list its own permissions, so this check works for restricted keys too.
      verify: { url: '/v3/scopes' },
      parameters: [
        {
          name: 'apiKey',
          label: 'API key',
          type: 'password',
          required: true,
          secret: true,
          pattern: 'SG\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+',
          help: 'Settings → API Keys. A restricted key with only the permissions you use is safer.',
        },
        {
          name: 'apiHost',
          label: 'Region',
          type: 'select',
          advanced: true,
          default: 'api.sendgrid.com',
          options: [
            { value: 'api.sendgrid.com', label: 'Global' },
            { value: 'api.eu.sendgrid.com', label: 'EU (regional subuser)' },
          ],
        },
      ],
    },
  ],
  fullAccess: {
    docsUrl: 'https://www.twilio.com/docs/sendgrid/ui/account-and-settings/api-keys',
    description: 'A full-access key can do everything on the account; a restricted key only what it was given.',
  },
  modules: [
    {
      id: 'send-email',
      name: 'Send an email',
      inputs: [
        { name: 'to', label: 'To', required: true, example: 'ada@example.com' },
        {
          name: 'from',
          label: 'From',
          required: true,
          help: 'A verified sender or an address on an authenticated domain.',
          example: 'billing@example.com',
        },
        { name: 'subject', label: 'Subject', required: true, example: 'Your receipt from Example Store' },
        {
          name: 'text',
          label: 'Text',
          type: 'textarea',
          required: true,
          example: 'Thanks for your order! Your receipt is below.',
        },
      ],
      request: {
        method: 'POST',
        url: '/v3/mail/send',
        body: {
          personalizations: [{ to: [{ email: '{{to}}' }] }],
          from: { email: '{{from}}' },
          subject: '{{subject}}',
          content: [{ type: 'text/plain', value: '{{text}}' }],
        },
      },
      docsUrl: 'https://www.twilio.com/docs/sendgrid/api-reference/mail-send/mail-send',
    },
    {
      id: 'upsert-contact',
      name: 'Add or update a marketing contact',
      inputs: [
        { name: 'email', label: 'Email', required: true, example: 'ada@example.com' },
        { name: 'first_name', label: 'First name', example: 'Ada' },
        { name: 'last_name', label: 'Last name', example: 'Lovelace' },
        { name: 'listIds', label: 'List IDs', type: 'list', example: ['ca7a3796-e8a8-4029-9ccb-df8937940562'] },
      ],
      request: {
        method: 'PUT',
        url: '/v3/marketing/contacts',
        body: {
          list_ids: '{{listIds}}',
          contacts: [{ email: '{{email}}', first_name: '{{first_name}}', last_name: '{{last_name}}' }],
        },
      },
      docsUrl: 'https://www.twilio.com/docs/sendgrid/api-reference/contacts/add-or-update-a-contact',
    },
    {
      id: 'find-contacts-by-email',
      name: 'Find marketing contacts by email',
      inputs: [
        {
          name: 'emails',
          label: 'Emails',
          type: 'list',
          required: true,
          example: ['ada@example.com', 'grace@example.com'],
        },
      ],
      request: {
        method: 'POST',
        url: '/v3/marketing/contacts/search/emails',
        body: { emails: '{{emails}}' },
        output: 'result',
      },
      docsUrl: 'https://www.twilio.com/docs/sendgrid/api-reference/contacts/get-contacts-by-emails',
    },
  ],
};
