import type { AppInput } from '../schema.ts';

/**
 * Stripe: a secret key (sk_…) or, better, a restricted key (rk_…) limited to
 * the resources the scenarios need, sent as a Bearer token. Request bodies are
 * form-encoded.
 */
export const stripe: AppInput = {
  id: 'stripe',
  name: 'Stripe',
  category: 'Payments',
  docsUrl: 'https://docs.stripe.com/api/authentication',
  connections: [
    {
      type: 'apiKey',
      keys: [{ parameter: 'apiKey', in: 'header', name: 'Authorization', prefix: 'Bearer' }],
      baseUrl: 'https://api.stripe.com',
      verify: {
        url: '/v1/account',
        accountId: ['id'],
        accountLabel: ['business_profile.name', 'settings.dashboard.display_name', 'email', 'id'],
      },
      parameters: [
        {
          name: 'apiKey',
          label: 'Secret or restricted key',
          type: 'password',
          required: true,
          secret: true,
          pattern: '(sk|rk)_(test|live)_[A-Za-z0-9]+',
          help: 'Developers → API keys. A restricted key limited to what you automate is safer.',
        },
      ],
    },
  ],
  fullAccess: {
    docsUrl: 'https://docs.stripe.com/keys/restricted-api-keys',
    description: 'A secret key can do anything on the account; a restricted key only what it was given.',
  },
  modules: [
    {
      id: 'create-customer',
      name: 'Create a customer',
      inputs: [
        { name: 'email', label: 'Email', example: 'ada@example.com' },
        { name: 'name', label: 'Name', example: 'Ada Lovelace' },
        { name: 'description', label: 'Description', example: 'Annual plan, invoiced monthly' },
      ],
      request: {
        method: 'POST',
        url: '/v1/customers',
        bodyType: 'form',
        body: { email: '{{email}}', name: '{{name}}', description: '{{description}}' },
      },
      docsUrl: 'https://docs.stripe.com/api/customers/create',
    },
    {
      id: 'search-customers',
      name: 'Search customers',
      inputs: [
        {
          name: 'query',
          label: 'Query',
          required: true,
          help: "Stripe search syntax, e.g. email:'jane@example.com'.",
          example: "email:'ada@example.com'",
        },
      ],
      request: { method: 'GET', url: '/v1/customers/search', query: { query: '{{query}}' }, output: 'data' },
      docsUrl: 'https://docs.stripe.com/api/customers/search',
    },
    {
      id: 'list-payment-intents',
      name: 'List payments',
      inputs: [
        {
          name: 'customer',
          label: 'Customer ID',
          help: 'Only this customer’s payments.',
          example: 'cus_NffrFeUfNV2Hib',
        },
        { name: 'limit', label: 'How many', type: 'number', default: 10, help: '1 to 100.' },
      ],
      request: {
        method: 'GET',
        url: '/v1/payment_intents',
        query: { customer: '{{customer}}', limit: '{{limit}}' },
        output: 'data',
      },
      docsUrl: 'https://docs.stripe.com/api/payment_intents/list',
    },
    {
      id: 'create-refund',
      name: 'Refund a payment',
      inputs: [
        { name: 'payment_intent', label: 'Payment intent ID', required: true, example: 'pi_3MtwBwLkdIwHu7ix28a3tqPa' },
        {
          name: 'amount',
          label: 'Amount',
          type: 'number',
          help: 'In the smallest currency unit (cents); empty refunds everything.',
          example: 1000,
        },
      ],
      request: {
        method: 'POST',
        url: '/v1/refunds',
        bodyType: 'form',
        body: { payment_intent: '{{payment_intent}}', amount: '{{amount}}' },
      },
      docsUrl: 'https://docs.stripe.com/api/refunds/create',
    },
  ],
};
