import type { AppInput } from '../schema.ts';

/**
 * Salesforce: OAuth 2.0 web server flow against the production or sandbox
 * login host. The token response carries `instance_url`, the org's own API
 * host, and no `expires_in`: access tokens last as long as the org's session
 * timeout (two hours unless an administrator changed it).
 */
export const salesforce: AppInput = {
  id: 'salesforce',
  name: 'Salesforce',
  category: 'CRM',
  docsUrl:
    'https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/intro_understanding_oauth_endpoints.htm',
  authDocsUrl:
    'https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/intro_understanding_oauth_endpoints.htm',
  connections: [
    {
      type: 'oauth2',
      authorizeUrl: 'https://{{loginHost}}/services/oauth2/authorize',
      tokenUrl: 'https://{{loginHost}}/services/oauth2/token',
      revokeUrl: 'https://{{loginHost}}/services/oauth2/revoke',
      baseScopes: ['refresh_token', 'id'],
      defaultExpiresInSeconds: 7200,
      keepFromTokenResponse: ['instance_url'],
      baseUrl: '{{instance_url}}',
      verify: {
        url: 'https://{{loginHost}}/services/oauth2/userinfo',
        accountId: ['user_id'],
        accountLabel: ['preferred_username', 'email', 'name'],
      },
      parameters: [
        {
          name: 'loginHost',
          label: 'Environment',
          type: 'select',
          required: true,
          default: 'login.salesforce.com',
          help: 'Production orgs sign in at login.salesforce.com, sandboxes at test.salesforce.com.',
          options: [
            { value: 'login.salesforce.com', label: 'Production' },
            { value: 'test.salesforce.com', label: 'Sandbox' },
          ],
        },
      ],
    },
  ],
  scopesDocsUrl: 'https://help.salesforce.com/HTViewHelpDoc?id=remoteaccess_oauth_scopes.htm',
  scopes: [
    { name: 'api', description: 'Read and change the records you can see in Salesforce, through its APIs.' },
    { name: 'refresh_token', description: 'Keep working while you are away, without signing in again.' },
    { name: 'id', description: 'See your Salesforce user name, email address and organization.' },
    { name: 'full', description: 'Everything your Salesforce user can do.' },
  ],
  modules: [
    {
      id: 'query-records',
      name: 'Search records with SOQL',
      scopes: ['api'],
      inputs: [
        {
          name: 'query',
          label: 'SOQL query',
          type: 'textarea',
          required: true,
          help: 'For example: SELECT Id, Name FROM Account LIMIT 10',
          example: 'SELECT Id, Name FROM Account LIMIT 10',
        },
      ],
      request: { method: 'GET', url: '/services/data/v62.0/query/', query: { q: '{{query}}' }, output: 'records' },
      docsUrl: 'https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/dome_query.htm',
    },
    {
      id: 'create-record',
      name: 'Create a record',
      scopes: ['api'],
      inputs: [
        {
          name: 'sobject',
          label: 'Object type',
          required: true,
          help: 'The API name of the object, such as Account, Contact or Lead.',
          example: 'Account',
        },
        {
          name: 'fields',
          label: 'Fields',
          type: 'json',
          required: true,
          help: 'Field API names and values, e.g. {"Name": "Acme"}.',
          example: { Name: 'Acme', Industry: 'Manufacturing' },
        },
      ],
      request: { method: 'POST', url: '/services/data/v62.0/sobjects/{{sobject}}/', body: '{{fields}}' },
      docsUrl: 'https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/dome_sobject_create.htm',
    },
    {
      id: 'get-record',
      name: 'Get a record',
      scopes: ['api'],
      inputs: [
        { name: 'sobject', label: 'Object type', required: true, example: 'Account' },
        { name: 'recordId', label: 'Record ID', required: true, example: '001D000000IqhSLIAZ' },
      ],
      request: { method: 'GET', url: '/services/data/v62.0/sobjects/{{sobject}}/{{recordId}}' },
      docsUrl: 'https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/dome_get_field_values.htm',
    },
    {
      id: 'update-record',
      name: 'Update a record',
      scopes: ['api'],
      inputs: [
        { name: 'sobject', label: 'Object type', required: true, example: 'Account' },
        { name: 'recordId', label: 'Record ID', required: true, example: '001D000000IqhSLIAZ' },
        {
          name: 'fields',
          label: 'Fields to change',
          type: 'json',
          required: true,
          example: { BillingCity: 'San Francisco' },
        },
      ],
      request: { method: 'PATCH', url: '/services/data/v62.0/sobjects/{{sobject}}/{{recordId}}', body: '{{fields}}' },
      docsUrl: 'https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/dome_update_fields.htm',
    },
  ],
};
