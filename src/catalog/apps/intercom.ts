import type { AppInput } from '../schema.ts';

/**
 * Intercom: OAuth 2.0 whose permissions are ticked when the app is
 * registered in the Developer Hub; the authorize URL takes no scope. Access
 * tokens do not expire and come without a refresh token. Workspaces hosted in
 * Europe or Australia have their own API host; api.intercom.io routes to the
 * right region when it can.
 */
export const intercom: AppInput = {
  id: 'intercom',
  name: 'Intercom',
  category: 'Customer support',
  docsUrl: 'https://developers.intercom.com/docs/build-an-integration/learn-more/authentication/setting-up-oauth',
  authDocsUrl: 'https://developers.intercom.com/docs/build-an-integration/learn-more/authentication/setting-up-oauth',
  connections: [
    {
      type: 'oauth2',
      authorizeUrl: 'https://app.intercom.com/oauth',
      tokenUrl: 'https://api.intercom.io/auth/eagle/token',
      pkce: false,
      baseUrl: 'https://{{apiHost}}',
      verify: {
        url: '/me',
        headers: { 'Intercom-Version': '2.11' },
        accountId: ['app.id_code', 'id'],
        accountLabel: ['app.name', 'email'],
      },
      parameters: [
        {
          name: 'apiHost',
          label: 'Data hosting region',
          type: 'select',
          advanced: true,
          editable: true,
          default: 'api.intercom.io',
          help: 'Europe if you sign in at app.eu.intercom.com, Australia if at app.au.intercom.com.',
          // https://developers.intercom.com/building-apps/docs/rest-apis
          options: [
            { value: 'api.intercom.io', label: 'United States' },
            { value: 'api.eu.intercom.io', label: 'Europe' },
            { value: 'api.au.intercom.io', label: 'Australia' },
          ],
        },
      ],
    },
  ],
  fullAccess: {
    docsUrl: 'https://developers.intercom.com/docs/build-an-integration/learn-more/authentication/setting-up-oauth',
    description:
      'Intercom grants the permissions ticked on the OAuth app in its Developer Hub, whatever a scenario needs.',
  },
  modules: [
    {
      id: 'create-contact',
      name: 'Create a contact',
      inputs: [
        {
          name: 'role',
          label: 'Role',
          type: 'select',
          required: true,
          default: 'user',
          options: [
            { value: 'user', label: 'User' },
            { value: 'lead', label: 'Lead' },
          ],
        },
        { name: 'email', label: 'Email', example: 'ada.lovelace@example.com' },
        {
          name: 'external_id',
          label: 'External ID',
          help: 'Your own identifier for this person.',
          example: 'user-4821',
        },
        { name: 'name', label: 'Name', example: 'Ada Lovelace' },
      ],
      request: {
        method: 'POST',
        url: '/contacts',
        headers: { 'Intercom-Version': '2.11' },
        body: { role: '{{role}}', email: '{{email}}', external_id: '{{external_id}}', name: '{{name}}' },
      },
      docsUrl: 'https://developers.intercom.com/docs/references/rest-api/api.intercom.io/contacts/createcontact',
    },
    {
      id: 'find-contact-by-email',
      name: 'Find contacts by email',
      inputs: [{ name: 'email', label: 'Email', required: true, example: 'ada.lovelace@example.com' }],
      request: {
        method: 'POST',
        url: '/contacts/search',
        headers: { 'Intercom-Version': '2.11' },
        body: { query: { field: 'email', operator: '=', value: '{{email}}' } },
        output: 'data',
      },
      docsUrl: 'https://developers.intercom.com/docs/references/rest-api/api.intercom.io/contacts/searchcontacts',
    },
    {
      id: 'get-conversation',
      name: 'Get a conversation',
      inputs: [{ name: 'conversationId', label: 'Conversation ID', required: true, example: '215468779321877' }],
      request: { method: 'GET', url: '/conversations/{{conversationId}}', headers: { 'Intercom-Version': '2.11' } },
      docsUrl:
        'https://developers.intercom.com/docs/references/rest-api/api.intercom.io/conversations/retrieveconversation',
    },
  ],
};
