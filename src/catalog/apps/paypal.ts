import type { AppInput } from '../schema.ts';

/**
 * PayPal REST APIs: the merchant's own REST app (client ID and secret from the
 * developer dashboard) exchanged for an access token with the client
 * credentials grant, client authenticated with HTTP Basic. What the token may
 * do is the set of features enabled on that REST app, not OAuth scopes.
 */
export const paypal: AppInput = {
  id: 'paypal',
  name: 'PayPal',
  category: 'Payments',
  docsUrl: 'https://developer.paypal.com/api/rest/authentication/',
  authDocsUrl: 'https://developer.paypal.com/api/rest/authentication/',
  connections: [
    {
      type: 'oauth2',
      flow: 'client_credentials',
      // The client credentials grant opens no browser: only the token endpoint is used.
      authorizeUrl: 'https://{{apiHost}}/v1/oauth2/token',
      tokenUrl: 'https://{{apiHost}}/v1/oauth2/token',
      pkce: false,
      clientAuth: 'client_secret_basic',
      baseUrl: 'https://{{apiHost}}',
      parameters: [
        {
          name: 'clientId',
          label: 'Client ID',
          required: true,
          help: 'Developer dashboard → Apps & Credentials → your REST app.',
        },
        { name: 'clientSecret', label: 'Secret', type: 'password', required: true, secret: true },
        {
          name: 'apiHost',
          label: 'Environment',
          type: 'select',
          required: true,
          default: 'api-m.paypal.com',
          options: [
            { value: 'api-m.paypal.com', label: 'Live' },
            { value: 'api-m.sandbox.paypal.com', label: 'Sandbox' },
          ],
        },
      ],
    },
  ],
  fullAccess: {
    docsUrl: 'https://developer.paypal.com/api/rest/',
    description: 'The token can use every feature enabled on your PayPal REST app.',
  },
  modules: [
    {
      id: 'create-order',
      name: 'Create an order',
      inputs: [
        { name: 'currency_code', label: 'Currency', required: true, default: 'USD' },
        {
          name: 'value',
          label: 'Amount',
          required: true,
          help: 'As text with up to two decimals, e.g. 10.00.',
          example: '10.00',
        },
        { name: 'description', label: 'Description', example: 'Blue T-shirt, size M' },
      ],
      request: {
        method: 'POST',
        url: '/v2/checkout/orders',
        body: {
          intent: 'CAPTURE',
          purchase_units: [
            { description: '{{description}}', amount: { currency_code: '{{currency_code}}', value: '{{value}}' } },
          ],
        },
      },
      docsUrl: 'https://developer.paypal.com/docs/api/orders/v2/#orders_create',
    },
    {
      id: 'get-order',
      name: 'Get an order',
      inputs: [{ name: 'orderId', label: 'Order ID', required: true, example: '5O190127TN364715T' }],
      request: { method: 'GET', url: '/v2/checkout/orders/{{orderId}}' },
      docsUrl: 'https://developer.paypal.com/docs/api/orders/v2/#orders_get',
    },
    {
      id: 'refund-capture',
      name: 'Refund a captured payment',
      inputs: [
        { name: 'captureId', label: 'Capture ID', required: true, example: '2GG279541U471931P' },
        { name: 'note_to_payer', label: 'Note to the payer', example: 'Defective product' },
      ],
      request: {
        method: 'POST',
        url: '/v2/payments/captures/{{captureId}}/refund',
        body: { note_to_payer: '{{note_to_payer}}' },
      },
      docsUrl: 'https://developer.paypal.com/docs/api/payments/v2/#captures_refund',
    },
  ],
};
