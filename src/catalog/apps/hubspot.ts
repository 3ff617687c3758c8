import type { AppInput } from '../schema.ts';

/**
 * HubSpot: OAuth 2.0 with the v3 token endpoint, which takes every parameter
 * in the body. Access tokens last 30 minutes. The `oauth` scope is required on
 * every authorization and also lets Hitch read the account's details.
 */
export const hubspot: AppInput = {
  id: 'hubspot',
  name: 'HubSpot',
  category: 'CRM',
  docsUrl: 'https://developers.hubspot.com/docs/api-reference/auth-oauth-v3/guide',
  authDocsUrl: 'https://developers.hubspot.com/docs/api-reference/auth-oauth-v3/guide',
  connections: [
    {
      type: 'oauth2',
      authorizeUrl: 'https://app.hubspot.com/oauth/authorize',
      tokenUrl: 'https://api.hubapi.com/oauth/v3/token',
      baseScopes: ['oauth'],
      baseUrl: 'https://api.hubapi.com',
      verify: { url: '/account-info/v3/details', accountId: ['portalId'], accountLabel: ['portalId'] },
    },
  ],
  scopesDocsUrl: 'https://developers.hubspot.com/scopes',
  scopes: [
    { name: 'oauth', description: 'Connect to your HubSpot account and read its basic details (required by HubSpot).' },
    { name: 'crm.objects.contacts.read', description: 'See your contacts.' },
    { name: 'crm.objects.contacts.write', description: 'Create and change contacts.' },
    { name: 'crm.objects.deals.read', description: 'See your deals.' },
    { name: 'crm.objects.deals.write', description: 'Create and change deals.' },
  ],
  modules: [
    {
      id: 'create-contact',
      name: 'Create a contact',
      scopes: ['crm.objects.contacts.write'],
      inputs: [
        { name: 'email', label: 'Email', required: true, example: 'ada.lovelace@example.com' },
        { name: 'firstname', label: 'First name', example: 'Ada' },
        { name: 'lastname', label: 'Last name', example: 'Lovelace' },
        { name: 'phone', label: 'Phone', example: '+1 555 010 0123' },
      ],
      request: {
        method: 'POST',
        url: '/crm/v3/objects/contacts',
        body: {
          properties: { email: '{{email}}', firstname: '{{firstname}}', lastname: '{{lastname}}', phone: '{{phone}}' },
        },
      },
      docsUrl: 'https://developers.hubspot.com/docs/api/crm/contacts',
    },
    {
      id: 'search-contacts',
      name: 'Search contacts',
      scopes: ['crm.objects.contacts.read'],
      inputs: [
        {
          name: 'query',
          label: 'Search text',
          required: true,
          help: 'Matched against the contacts’ default searchable properties, such as name and email.',
          example: 'lovelace',
        },
      ],
      request: {
        method: 'POST',
        url: '/crm/v3/objects/contacts/search',
        body: { query: '{{query}}' },
        output: 'results',
      },
      docsUrl: 'https://developers.hubspot.com/docs/api/crm/search',
    },
    {
      id: 'get-contact',
      name: 'Get a contact',
      scopes: ['crm.objects.contacts.read'],
      inputs: [
        { name: 'contactId', label: 'Contact ID', required: true, example: '75761595194' },
        {
          name: 'properties',
          label: 'Properties',
          help: 'Comma-separated property names to return, e.g. email,firstname,lastname.',
          example: 'email,firstname,lastname',
        },
      ],
      request: {
        method: 'GET',
        url: '/crm/v3/objects/contacts/{{contactId}}',
        query: { properties: '{{properties}}' },
      },
      docsUrl: 'https://developers.hubspot.com/docs/api/crm/contacts',
    },
    {
      id: 'create-deal',
      name: 'Create a deal',
      scopes: ['crm.objects.deals.write'],
      inputs: [
        { name: 'dealname', label: 'Deal name', required: true, example: 'Acme Corporation – annual plan' },
        { name: 'amount', label: 'Amount', example: '1500.00' },
        { name: 'pipeline', label: 'Pipeline ID', example: 'default' },
        { name: 'dealstage', label: 'Deal stage ID', example: 'appointmentscheduled' },
      ],
      request: {
        method: 'POST',
        url: '/crm/v3/objects/deals',
        body: {
          properties: {
            dealname: '{{dealname}}',
            amount: '{{amount}}',
            pipeline: '{{pipeline}}',
            dealstage: '{{dealstage}}',
          },
        },
      },
      docsUrl: 'https://developers.hubspot.com/docs/api/crm/deals',
    },
  ],
};
