import type { AppInput } from '../schema.ts';

/**
 * QuickBooks Online: Intuit OAuth 2.0 with HTTP Basic client authentication.
 * The company chosen on the consent screen comes back as `realmId` on the
 * callback's query string, and every Accounting API path starts with it.
 * Access tokens last an hour; answers are XML unless JSON is asked for.
 */
export const quickbooks: AppInput = {
  id: 'quickbooks',
  name: 'QuickBooks Online',
  category: 'Accounting',
  docsUrl: 'https://developer.intuit.com/app/developer/qbo/docs/develop/authentication-and-authorization/oauth-2.0',
  authDocsUrl: 'https://developer.intuit.com/app/developer/qbo/docs/develop/authentication-and-authorization/oauth-2.0',
  connections: [
    {
      type: 'oauth2',
      authorizeUrl: 'https://appcenter.intuit.com/connect/oauth2',
      tokenUrl: 'https://oauth.platform.intuit.com/oauth2/v1/tokens/bearer',
      revokeUrl: 'https://developer.api.intuit.com/v2/oauth2/tokens/revoke',
      clientAuth: 'client_secret_basic',
      pkce: false,
      keepFromCallback: ['realmId'],
      // A rolling 100 days while used, and at most five years from authorization, which refreshes do not extend
      // (https://github.com/intuit/QuickBooks-V3-Java-SDK/releases/tag/v6.5.4).
      grantLifetime: {
        idleDays: 100,
        absoluteDays: 5 * 365,
        extendsOnRefresh: false,
        docsUrl: 'https://developer.intuit.com/app/developer/qbo/docs/develop/authentication-and-authorization/faq',
      },
      baseUrl: 'https://{{apiHost}}/v3/company/{{realmId}}',
      verify: {
        url: '/companyinfo/{{realmId}}?minorversion=75',
        headers: { Accept: 'application/json' },
        accountId: ['CompanyInfo.Id'],
        accountLabel: ['CompanyInfo.CompanyName'],
      },
      parameters: [
        {
          name: 'apiHost',
          label: 'Environment',
          type: 'select',
          required: true,
          advanced: true,
          default: 'quickbooks.api.intuit.com',
          options: [
            { value: 'quickbooks.api.intuit.com', label: 'Production' },
            { value: 'sandbox-quickbooks.api.intuit.com', label: 'Sandbox' },
          ],
        },
      ],
    },
  ],
  scopesDocsUrl: 'https://developer.intuit.com/app/developer/qbo/docs/learn/scopes',
  scopes: [
    {
      name: 'com.intuit.quickbooks.accounting',
      description: 'See and change your QuickBooks company’s accounting data: customers, invoices, payments and more.',
    },
  ],
  modules: [
    {
      id: 'query',
      name: 'Search with a query',
      scopes: ['com.intuit.quickbooks.accounting'],
      inputs: [
        {
          name: 'query',
          label: 'Query',
          type: 'textarea',
          required: true,
          help: "e.g. select * from Invoice where Balance > '0' maxresults 50",
          example: "select * from Invoice where Balance > '0' maxresults 50",
        },
      ],
      request: {
        method: 'GET',
        url: '/query',
        query: { query: '{{query}}', minorversion: '75' },
        headers: { Accept: 'application/json' },
        output: 'QueryResponse',
      },
      docsUrl:
        'https://developer.intuit.com/app/developer/qbo/docs/learn/explore-the-quickbooks-online-api/data-queries',
    },
    {
      id: 'create-customer',
      name: 'Create a customer',
      scopes: ['com.intuit.quickbooks.accounting'],
      inputs: [
        {
          name: 'DisplayName',
          label: 'Display name',
          required: true,
          help: 'Must be unique among customers, vendors and employees.',
          example: 'Ada Lovelace',
        },
        { name: 'email', label: 'Email', example: 'ada@example.com' },
        { name: 'CompanyName', label: 'Company name', example: 'Analytical Engines Ltd' },
      ],
      request: {
        method: 'POST',
        url: '/customer',
        query: { minorversion: '75' },
        headers: { Accept: 'application/json' },
        body: {
          DisplayName: '{{DisplayName}}',
          CompanyName: '{{CompanyName}}',
          PrimaryEmailAddr: { Address: '{{email}}' },
        },
        output: 'Customer',
      },
      docsUrl: 'https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/customer',
    },
    {
      id: 'create-invoice',
      name: 'Create an invoice',
      scopes: ['com.intuit.quickbooks.accounting'],
      inputs: [
        { name: 'customerId', label: 'Customer ID', required: true, example: '58' },
        { name: 'itemId', label: 'Product or service ID', required: true, example: '1' },
        { name: 'amount', label: 'Amount', type: 'number', required: true, example: 150 },
        { name: 'description', label: 'Line description', example: 'Consulting, 2 hours' },
      ],
      request: {
        method: 'POST',
        url: '/invoice',
        query: { minorversion: '75' },
        headers: { Accept: 'application/json' },
        body: {
          CustomerRef: { value: '{{customerId}}' },
          Line: [
            {
              Amount: '{{amount}}',
              Description: '{{description}}',
              DetailType: 'SalesItemLineDetail',
              SalesItemLineDetail: { ItemRef: { value: '{{itemId}}' } },
            },
          ],
        },
        output: 'Invoice',
      },
      docsUrl: 'https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/invoice',
    },
  ],
};
