import type { AppInput } from '../schema.ts';

/**
 * Square: an access token from the Developer Console, sent as a Bearer token.
 * Square's OAuth token endpoint takes a JSON body and answers with
 * `expires_at` rather than `expires_in`, which Hitch's OAuth kind does not
 * express yet, so this app offers the access token only.
 */
export const square: AppInput = {
  id: 'square',
  name: 'Square',
  category: 'Payments',
  docsUrl: 'https://developer.squareup.com/docs/build-basics/access-tokens',
  connections: [
    {
      type: 'apiKey',
      keys: [{ parameter: 'accessToken', in: 'header', name: 'Authorization', prefix: 'Bearer' }],
      baseUrl: 'https://{{apiHost}}',
      verify: {
        url: '/v2/merchants/me',
        accountId: ['merchant.id'],
        accountLabel: ['merchant.business_name', 'merchant.id'],
      },
      parameters: [
        {
          name: 'accessToken',
          label: 'Access token',
          type: 'password',
          required: true,
          secret: true,
          help: 'Developer Console → your application → Credentials.',
        },
        {
          name: 'apiHost',
          label: 'Environment',
          type: 'select',
          required: true,
          advanced: true,
          default: 'connect.squareup.com',
          options: [
            { value: 'connect.squareup.com', label: 'Production' },
            { value: 'connect.squareupsandbox.com', label: 'Sandbox' },
          ],
        },
      ],
    },
  ],
  fullAccess: {
    docsUrl: 'https://developer.squareup.com/docs/build-basics/access-tokens',
    description: 'A personal access token can do everything on the Square account.',
  },
  modules: [
    {
      id: 'list-payments',
      name: 'List payments',
      inputs: [
        {
          name: 'begin_time',
          label: 'From',
          help: 'RFC 3339 time, e.g. 2025-01-01T00:00:00Z.',
          example: '2025-01-01T00:00:00Z',
        },
        { name: 'location_id', label: 'Location ID', example: 'L88917AVBK2S5' },
        { name: 'limit', label: 'How many', type: 'number', default: 50 },
      ],
      request: {
        method: 'GET',
        url: '/v2/payments',
        query: { begin_time: '{{begin_time}}', location_id: '{{location_id}}', limit: '{{limit}}' },
        output: 'payments',
      },
      docsUrl: 'https://developer.squareup.com/reference/square/payments-api/list-payments',
    },
    {
      id: 'create-customer',
      name: 'Create a customer',
      inputs: [
        { name: 'given_name', label: 'First name', example: 'Ada' },
        { name: 'family_name', label: 'Last name', example: 'Lovelace' },
        { name: 'email_address', label: 'Email', example: 'ada@example.com' },
        { name: 'phone_number', label: 'Phone', example: '+1-212-555-4240' },
      ],
      request: {
        method: 'POST',
        url: '/v2/customers',
        body: {
          given_name: '{{given_name}}',
          family_name: '{{family_name}}',
          email_address: '{{email_address}}',
          phone_number: '{{phone_number}}',
        },
        output: 'customer',
      },
      docsUrl: 'https://developer.squareup.com/reference/square/customers-api/create-customer',
    },
    {
      id: 'find-customer-by-email',
      name: 'Find customers by email',
      inputs: [{ name: 'email', label: 'Email', required: true, example: 'ada@example.com' }],
      request: {
        method: 'POST',
        url: '/v2/customers/search',
        body: { query: { filter: { email_address: { exact: '{{email}}' } } } },
        output: 'customers',
      },
      docsUrl: 'https://developer.squareup.com/reference/square/customers-api/search-customers',
    },
  ],
};
