import type { AppInput } from '../schema.ts';

const JSON_HEADERS = { Accept: 'application/json', 'xero-tenant-id': '{{tenantId}}' };

/**
 * Xero: OAuth 2.0 with 30-minute access tokens; `offline_access` brings a
 * refresh token. A token can reach several organisations, so every
 * Accounting API call names one in the `xero-tenant-id` header — the IDs come
 * from the connections endpoint ("List connected organisations"). Apps created
 * since 2 March 2026 must ask for the granular scopes used here.
 */
export const xero: AppInput = {
  id: 'xero',
  name: 'Xero',
  category: 'Accounting',
  docsUrl: 'https://developer.xero.com/documentation/guides/oauth2/auth-flow/',
  authDocsUrl: 'https://developer.xero.com/documentation/guides/oauth2/auth-flow/',
  connections: [
    {
      type: 'oauth2',
      authorizeUrl: 'https://login.xero.com/identity/connect/authorize',
      tokenUrl: 'https://identity.xero.com/connect/token',
      revokeUrl: 'https://identity.xero.com/connect/revocation',
      baseScopes: ['offline_access'],
      clientAuth: 'client_secret_basic',
      // Unused refresh tokens expire after 60 days; each refresh returns a new one.
      grantLifetime: { idleDays: 60, extendsOnRefresh: true, docsUrl: 'https://developer.xero.com/faq/oauth2' },
      baseUrl: 'https://api.xero.com',
      verify: { url: '/connections', accountId: ['0.tenantId'], accountLabel: ['0.tenantName'] },
    },
  ],
  // Apps created since 2 March 2026 get only granular scopes: https://developer.xero.com/faq/granular-scopes
  scopesDocsUrl: 'https://developer.xero.com/documentation/guides/oauth2/scopes/',
  scopes: [
    { name: 'offline_access', description: 'Keep working while you are away, without signing in again.' },
    { name: 'accounting.contacts', description: 'See, create and change contacts.' },
    { name: 'accounting.contacts.read', description: 'See contacts.' },
    { name: 'accounting.invoices', description: 'See, create and change invoices and bills.' },
    { name: 'accounting.invoices.read', description: 'See invoices and bills.' },
  ],
  modules: [
    {
      id: 'list-tenants',
      name: 'List connected organisations',
      description: 'The organisations this connection may reach, with the tenant IDs the other modules need.',
      request: { method: 'GET', url: '/connections' },
      docsUrl: 'https://developer.xero.com/documentation/guides/oauth2/tenants',
    },
    {
      id: 'create-contact',
      name: 'Create a contact',
      scopes: ['accounting.contacts'],
      inputs: [
        {
          name: 'tenantId',
          label: 'Organisation (tenant ID)',
          required: true,
          example: '45e4708e-d862-4111-ab3a-dd8cd03913e1',
        },
        { name: 'Name', label: 'Name', required: true, example: 'Analytical Engines Ltd' },
        { name: 'EmailAddress', label: 'Email', example: 'accounts@example.com' },
      ],
      request: {
        method: 'POST',
        url: '/api.xro/2.0/Contacts',
        headers: JSON_HEADERS,
        body: { Contacts: [{ Name: '{{Name}}', EmailAddress: '{{EmailAddress}}' }] },
        output: 'Contacts.0',
      },
      docsUrl: 'https://developer.xero.com/documentation/api/accounting/contacts',
    },
    {
      id: 'create-invoice',
      name: 'Create a sales invoice',
      scopes: ['accounting.invoices'],
      inputs: [
        {
          name: 'tenantId',
          label: 'Organisation (tenant ID)',
          required: true,
          example: '45e4708e-d862-4111-ab3a-dd8cd03913e1',
        },
        { name: 'ContactID', label: 'Contact ID', required: true, example: 'bd2270c3-8706-4c11-9cfb-000b551c3f51' },
        { name: 'Description', label: 'Line description', required: true, example: 'Consulting services, January' },
        { name: 'Quantity', label: 'Quantity', type: 'number', default: 1 },
        { name: 'UnitAmount', label: 'Unit price', type: 'number', required: true, example: 120 },
        { name: 'AccountCode', label: 'Account code', help: 'The revenue account, e.g. 200.', example: '200' },
        {
          name: 'Status',
          label: 'Status',
          type: 'select',
          default: 'DRAFT',
          options: [
            { value: 'DRAFT', label: 'Draft' },
            { value: 'SUBMITTED', label: 'Awaiting approval' },
            { value: 'AUTHORISED', label: 'Approved' },
          ],
        },
      ],
      request: {
        method: 'POST',
        url: '/api.xro/2.0/Invoices',
        headers: JSON_HEADERS,
        body: {
          Invoices: [
            {
              Type: 'ACCREC',
              Status: '{{Status}}',
              Contact: { ContactID: '{{ContactID}}' },
              LineItems: [
                {
                  Description: '{{Description}}',
                  Quantity: '{{Quantity}}',
                  UnitAmount: '{{UnitAmount}}',
                  AccountCode: '{{AccountCode}}',
                },
              ],
            },
          ],
        },
        output: 'Invoices.0',
      },
      docsUrl: 'https://developer.xero.com/documentation/api/accounting/invoices',
    },
    {
      id: 'list-invoices',
      name: 'List invoices',
      scopes: ['accounting.invoices.read'],
      inputs: [
        {
          name: 'tenantId',
          label: 'Organisation (tenant ID)',
          required: true,
          example: '45e4708e-d862-4111-ab3a-dd8cd03913e1',
        },
        {
          name: 'Statuses',
          label: 'Statuses',
          help: 'Comma-separated, e.g. AUTHORISED,PAID.',
          example: 'AUTHORISED,PAID',
        },
        { name: 'page', label: 'Page', type: 'number', default: 1 },
      ],
      request: {
        method: 'GET',
        url: '/api.xro/2.0/Invoices',
        query: { Statuses: '{{Statuses}}', page: '{{page}}' },
        headers: JSON_HEADERS,
        output: 'Invoices',
      },
      docsUrl: 'https://developer.xero.com/documentation/api/accounting/invoices',
    },
  ],
};
