import type { AppInput } from '../schema.ts';

/**
 * WooCommerce: a REST API key pair generated in the store's admin
 * (WooCommerce → Settings → Advanced → REST API), sent as HTTP Basic over
 * HTTPS: consumer key as user name, consumer secret as password. A key has
 * the read, write or read/write access chosen when it was made.
 */
export const woocommerce: AppInput = {
  id: 'woocommerce',
  name: 'WooCommerce',
  category: 'E-commerce',
  docsUrl: 'https://developer.woocommerce.com/docs/apis/rest-api/authentication/',
  connections: [
    {
      type: 'basic',
      usernameParameter: 'consumerKey',
      passwordParameter: 'consumerSecret',
      baseUrl: '{{storeUrl}}/wp-json/wc/v3',
      verify: { url: '/system_status', accountId: ['environment.site_url'], accountLabel: ['environment.site_url'] },
      parameters: [
        {
          name: 'storeUrl',
          label: 'Store address',
          type: 'url',
          required: true,
          editable: true,
          pattern: 'https://[^/?#]+(/[^?#]*[^/?#])?',
          help: 'Your WordPress site’s address over HTTPS, e.g. https://shop.example.com, without a trailing slash.',
        },
        { name: 'consumerKey', label: 'Consumer key', required: true, secret: true, pattern: 'ck_[A-Za-z0-9]+' },
        {
          name: 'consumerSecret',
          label: 'Consumer secret',
          type: 'password',
          required: true,
          secret: true,
          pattern: 'cs_[A-Za-z0-9]+',
        },
      ],
    },
  ],
  fullAccess: {
    docsUrl: 'https://developer.woocommerce.com/docs/apis/rest-api/authentication/',
    description:
      'The key can do what its WordPress user can, within the read or write access chosen when it was created.',
  },
  modules: [
    {
      id: 'list-orders',
      name: 'List orders',
      inputs: [
        { name: 'status', label: 'Status', help: 'e.g. processing, completed; any for all.', default: 'any' },
        { name: 'per_page', label: 'How many', type: 'number', default: 10 },
      ],
      request: { method: 'GET', url: '/orders', query: { status: '{{status}}', per_page: '{{per_page}}' } },
      docsUrl: 'https://woocommerce.github.io/woocommerce-rest-api-docs/#list-all-orders',
    },
    {
      id: 'get-order',
      name: 'Get an order',
      inputs: [{ name: 'orderId', label: 'Order ID', type: 'number', required: true, example: 727 }],
      request: { method: 'GET', url: '/orders/{{orderId}}' },
      docsUrl: 'https://woocommerce.github.io/woocommerce-rest-api-docs/#retrieve-an-order',
    },
    {
      id: 'update-order-status',
      name: 'Update an order’s status',
      inputs: [
        { name: 'orderId', label: 'Order ID', type: 'number', required: true, example: 727 },
        {
          name: 'status',
          label: 'Status',
          required: true,
          help: 'pending, processing, on-hold, completed, cancelled, refunded or failed.',
          example: 'completed',
        },
      ],
      request: { method: 'PUT', url: '/orders/{{orderId}}', body: { status: '{{status}}' } },
      docsUrl: 'https://woocommerce.github.io/woocommerce-rest-api-docs/#update-an-order',
    },
    {
      id: 'create-product',
      name: 'Create a product',
      inputs: [
        { name: 'name', label: 'Name', required: true, example: 'Premium Quality' },
        { name: 'regular_price', label: 'Regular price', help: 'As text, e.g. 21.99.', example: '21.99' },
        {
          name: 'description',
          label: 'Description',
          type: 'textarea',
          example: '<p>A soft cotton T-shirt in four colours.</p>',
        },
      ],
      request: {
        method: 'POST',
        url: '/products',
        body: { name: '{{name}}', type: 'simple', regular_price: '{{regular_price}}', description: '{{description}}' },
      },
      docsUrl: 'https://woocommerce.github.io/woocommerce-rest-api-docs/#create-a-product',
    },
  ],
};
