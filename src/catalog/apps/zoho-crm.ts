import type { AppInput } from '../schema.ts';

/**
 * Zoho CRM: OAuth 2.0 against the accounts server of the person's data
 * centre. Scopes are comma-separated; `access_type=offline` and
 * `prompt=consent` are what make Zoho return a refresh token. The token
 * response names the API host of that data centre in `api_domain`, and
 * requests carry the token as `Zoho-oauthtoken`, not `Bearer`.
 */
export const zohoCrm: AppInput = {
  id: 'zoho-crm',
  name: 'Zoho CRM',
  category: 'CRM',
  docsUrl: 'https://www.zoho.com/crm/developer/docs/api/v7/oauth-overview.html',
  authDocsUrl: 'https://www.zoho.com/crm/developer/docs/api/v7/oauth-overview.html',
  connections: [
    {
      type: 'oauth2',
      authorizeUrl: 'https://accounts.{{region}}/oauth/v2/auth',
      tokenUrl: 'https://accounts.{{region}}/oauth/v2/token',
      revokeUrl: 'https://accounts.{{region}}/oauth/v2/token/revoke',
      scopeSeparator: ',',
      baseScopes: ['ZohoCRM.users.READ'],
      pkce: false,
      authorizeParameters: { access_type: 'offline', prompt: 'consent' },
      keepFromTokenResponse: ['api_domain'],
      placement: {
        in: 'header',
        headerName: 'Authorization',
        headerPrefix: 'Zoho-oauthtoken',
        queryName: 'access_token',
      },
      baseUrl: '{{api_domain}}',
      verify: {
        url: '/crm/v7/users?type=CurrentUser',
        accountId: ['users.0.id'],
        accountLabel: ['users.0.email', 'users.0.full_name'],
      },
      parameters: [
        {
          name: 'region',
          label: 'Data centre',
          type: 'select',
          required: true,
          default: 'zoho.com',
          help: 'Where your Zoho account lives: the domain of the address you sign in at (accounts.zoho.eu is Europe).',
          // https://www.zoho.com/crm/developer/docs/api/v7/multi-dc.html
          options: [
            { value: 'zoho.com', label: 'United States (zoho.com)' },
            { value: 'zoho.eu', label: 'Europe (zoho.eu)' },
            { value: 'zoho.in', label: 'India (zoho.in)' },
            { value: 'zoho.com.au', label: 'Australia (zoho.com.au)' },
            { value: 'zoho.jp', label: 'Japan (zoho.jp)' },
            { value: 'zohocloud.ca', label: 'Canada (zohocloud.ca)' },
            { value: 'zoho.com.cn', label: 'China (zoho.com.cn)' },
            { value: 'zoho.sa', label: 'Saudi Arabia (zoho.sa)' },
          ],
        },
      ],
    },
  ],
  scopesDocsUrl: 'https://www.zoho.com/crm/developer/docs/api/v7/scopes.html',
  scopes: [
    { name: 'ZohoCRM.users.READ', description: 'See the users of your Zoho CRM organization, including who you are.' },
    { name: 'ZohoCRM.modules.leads.CREATE', description: 'Add leads.' },
    { name: 'ZohoCRM.modules.contacts.READ', description: 'See your contacts.' },
    { name: 'ZohoCRM.modules.contacts.CREATE', description: 'Add contacts.' },
  ],
  modules: [
    {
      id: 'create-lead',
      name: 'Create a lead',
      scopes: ['ZohoCRM.modules.leads.CREATE'],
      inputs: [
        { name: 'Last_Name', label: 'Last name', required: true, example: 'Lovelace' },
        { name: 'First_Name', label: 'First name', example: 'Ada' },
        { name: 'Company', label: 'Company', example: 'Analytical Engines Ltd' },
        { name: 'Email', label: 'Email', example: 'ada@example.com' },
      ],
      request: {
        method: 'POST',
        url: '/crm/v7/Leads',
        body: {
          data: [
            { Last_Name: '{{Last_Name}}', First_Name: '{{First_Name}}', Company: '{{Company}}', Email: '{{Email}}' },
          ],
        },
        output: 'data.0',
      },
      docsUrl: 'https://www.zoho.com/crm/developer/docs/api/v7/insert-records.html',
    },
    {
      id: 'create-contact',
      name: 'Create a contact',
      scopes: ['ZohoCRM.modules.contacts.CREATE'],
      inputs: [
        { name: 'Last_Name', label: 'Last name', required: true, example: 'Lovelace' },
        { name: 'First_Name', label: 'First name', example: 'Ada' },
        { name: 'Email', label: 'Email', example: 'ada@example.com' },
        { name: 'Phone', label: 'Phone', example: '+44 20 7946 0018' },
      ],
      request: {
        method: 'POST',
        url: '/crm/v7/Contacts',
        body: {
          data: [{ Last_Name: '{{Last_Name}}', First_Name: '{{First_Name}}', Email: '{{Email}}', Phone: '{{Phone}}' }],
        },
        output: 'data.0',
      },
      docsUrl: 'https://www.zoho.com/crm/developer/docs/api/v7/insert-records.html',
    },
    {
      id: 'search-contacts',
      name: 'Search contacts by email',
      scopes: ['ZohoCRM.modules.contacts.READ'],
      inputs: [{ name: 'email', label: 'Email', required: true, example: 'ada@example.com' }],
      request: { method: 'GET', url: '/crm/v7/Contacts/search', query: { email: '{{email}}' }, output: 'data' },
      docsUrl: 'https://www.zoho.com/crm/developer/docs/api/v7/search-records.html',
    },
  ],
};
