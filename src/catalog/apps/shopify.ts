import type { AppInput } from '../schema.ts';

const API = '/admin/api/2026-01/graphql.json';

/**
 * Shopify: OAuth 2.0 on the shop's own myshopify.com host, comma-separated
 * access scopes, no PKCE. The token goes in the `X-Shopify-Access-Token`
 * header without a prefix; offline tokens do not expire. Modules use the
 * GraphQL Admin API, which new public apps must use.
 */
export const shopify: AppInput = {
  id: 'shopify',
  name: 'Shopify',
  category: 'E-commerce',
  docsUrl: 'https://shopify.dev/docs/apps/build/authentication-authorization/access-tokens/authorization-code-grant',
  authDocsUrl:
    'https://shopify.dev/docs/apps/build/authentication-authorization/access-tokens/authorization-code-grant',
  connections: [
    {
      type: 'oauth2',
      authorizeUrl: 'https://{{shop}}.myshopify.com/admin/oauth/authorize',
      tokenUrl: 'https://{{shop}}.myshopify.com/admin/oauth/access_token',
      scopeSeparator: ',',
      pkce: false,
      placement: { in: 'header', headerName: 'X-Shopify-Access-Token', headerPrefix: '', queryName: 'access_token' },
      baseUrl: 'https://{{shop}}.myshopify.com',
      verify: {
        method: 'POST',
        url: API,
        headers: { 'Content-Type': 'application/json' },
        body: '{"query":"{ shop { id name myshopifyDomain } }"}',
        accountId: ['data.shop.id'],
        accountLabel: ['data.shop.myshopifyDomain', 'data.shop.name'],
      },
      parameters: [
        {
          name: 'shop',
          label: 'Shop',
          required: true,
          pattern: '[a-z0-9][a-z0-9-]{0,59}',
          help: 'The part before .myshopify.com in your shop’s admin address: acme for acme.myshopify.com.',
        },
      ],
    },
  ],
  scopesDocsUrl: 'https://shopify.dev/docs/api/usage/access-scopes',
  scopes: [
    { name: 'read_products', description: 'See your products, variants and collections.' },
    { name: 'write_products', description: 'Create and change products, variants and collections.' },
    { name: 'read_orders', description: 'See orders from the last 60 days.' },
    { name: 'read_customers', description: 'See your customers.' },
    { name: 'write_customers', description: 'Create and change customers.' },
  ],
  modules: [
    {
      id: 'list-orders',
      name: 'List orders',
      scopes: ['read_orders'],
      inputs: [
        { name: 'first', label: 'How many', type: 'number', default: 50, help: 'At most 250.' },
        {
          name: 'query',
          label: 'Filter',
          help: 'Shopify search syntax, e.g. financial_status:paid created_at:>2025-01-01.',
          example: 'financial_status:paid created_at:>2025-01-01',
        },
      ],
      request: {
        method: 'POST',
        url: API,
        body: {
          query:
            'query ($first: Int!, $query: String) { orders(first: $first, query: $query, reverse: true) { nodes { id name createdAt displayFinancialStatus email totalPriceSet { shopMoney { amount currencyCode } } } } }',
          variables: { first: '{{first}}', query: '{{query}}' },
        },
        output: 'data.orders.nodes',
      },
      docsUrl: 'https://shopify.dev/docs/api/admin-graphql/latest/queries/orders',
    },
    {
      id: 'get-product',
      name: 'Get a product',
      scopes: ['read_products'],
      inputs: [
        {
          name: 'id',
          label: 'Product ID',
          required: true,
          help: 'A global ID such as gid://shopify/Product/123.',
          example: 'gid://shopify/Product/108828309',
        },
      ],
      request: {
        method: 'POST',
        url: API,
        body: {
          query:
            'query ($id: ID!) { product(id: $id) { id title handle status descriptionHtml variants(first: 100) { nodes { id title sku price inventoryQuantity } } } }',
          variables: { id: '{{id}}' },
        },
        output: 'data.product',
      },
      docsUrl: 'https://shopify.dev/docs/api/admin-graphql/latest/queries/product',
    },
    {
      id: 'create-product',
      name: 'Create a product',
      scopes: ['write_products'],
      inputs: [
        { name: 'title', label: 'Title', required: true, example: 'Organic cotton T-shirt' },
        {
          name: 'descriptionHtml',
          label: 'Description (HTML)',
          type: 'textarea',
          example: '<p>Soft, breathable and <strong>100% organic</strong>.</p>',
        },
        {
          name: 'status',
          label: 'Status',
          type: 'select',
          default: 'DRAFT',
          options: [
            { value: 'ACTIVE', label: 'Active' },
            { value: 'DRAFT', label: 'Draft' },
            { value: 'ARCHIVED', label: 'Archived' },
          ],
        },
      ],
      request: {
        method: 'POST',
        url: API,
        body: {
          query:
            'mutation ($product: ProductCreateInput!) { productCreate(product: $product) { product { id title handle status } userErrors { field message } } }',
          variables: { product: { title: '{{title}}', descriptionHtml: '{{descriptionHtml}}', status: '{{status}}' } },
        },
        output: 'data.productCreate',
      },
      docsUrl: 'https://shopify.dev/docs/api/admin-graphql/latest/mutations/productCreate',
    },
    {
      id: 'create-customer',
      name: 'Create a customer',
      scopes: ['write_customers'],
      inputs: [
        { name: 'email', label: 'Email', required: true, example: 'ada@example.com' },
        { name: 'firstName', label: 'First name', example: 'Ada' },
        { name: 'lastName', label: 'Last name', example: 'Lovelace' },
      ],
      request: {
        method: 'POST',
        url: API,
        body: {
          query:
            'mutation ($input: CustomerInput!) { customerCreate(input: $input) { customer { id email firstName lastName } userErrors { field message } } }',
          variables: { input: { email: '{{email}}', firstName: '{{firstName}}', lastName: '{{lastName}}' } },
        },
        output: 'data.customerCreate',
      },
      docsUrl: 'https://shopify.dev/docs/api/admin-graphql/latest/mutations/customerCreate',
    },
  ],
};
