import type { AppInput } from '../schema.ts';

const dcParameter = {
  name: 'dc',
  label: 'Data centre',
  required: true,
  pattern: '[a-z]+[0-9]+',
  help: 'The prefix of your Mailchimp admin address: us6 for us6.admin.mailchimp.com (also the ending of an API key, after the dash).',
};

/**
 * Mailchimp Marketing: OAuth 2.0 with no scopes and tokens that never expire,
 * or an API key. Every account lives in one data centre (us6…) that prefixes
 * the API host; Mailchimp reports it through its OAuth metadata endpoint, which
 * Hitch cannot read yet, so the person gives it.
 */
export const mailchimp: AppInput = {
  id: 'mailchimp',
  name: 'Mailchimp',
  category: 'Marketing',
  docsUrl: 'https://mailchimp.com/developer/marketing/guides/access-user-data-oauth-2/',
  authDocsUrl: 'https://mailchimp.com/developer/marketing/guides/access-user-data-oauth-2/',
  connections: [
    {
      type: 'oauth2',
      authorizeUrl: 'https://login.mailchimp.com/oauth2/authorize',
      tokenUrl: 'https://login.mailchimp.com/oauth2/token',
      pkce: false,
      baseUrl: 'https://{{dc}}.api.mailchimp.com/3.0',
      verify: { url: '/', accountId: ['account_id'], accountLabel: ['email', 'account_name', 'login_id'] },
      parameters: [dcParameter],
    },
    {
      type: 'basic',
      // Mailchimp takes any user name with the API key as the password.
      usernameParameter: 'username',
      passwordParameter: 'apiKey',
      baseUrl: 'https://{{dc}}.api.mailchimp.com/3.0',
      verify: { url: '/', accountId: ['account_id'], accountLabel: ['email', 'account_name', 'login_id'] },
      parameters: [
        {
          name: 'apiKey',
          label: 'API key',
          type: 'password',
          required: true,
          secret: true,
          pattern: '[0-9a-f]+-[a-z]+[0-9]+',
          help: 'Profile → Extras → API keys.',
        },
        dcParameter,
        { name: 'username', label: 'User name', advanced: true, default: 'hitch', help: 'Mailchimp ignores it.' },
      ],
    },
  ],
  fullAccess: {
    docsUrl: 'https://mailchimp.com/developer/marketing/docs/fundamentals/',
    description: 'Mailchimp has no scopes: a token or key can do everything its user can.',
  },
  modules: [
    {
      id: 'list-audiences',
      name: 'List audiences',
      inputs: [{ name: 'count', label: 'How many', type: 'number', default: 10 }],
      request: { method: 'GET', url: '/lists', query: { count: '{{count}}' }, output: 'lists' },
      docsUrl: 'https://mailchimp.com/developer/marketing/api/lists/get-lists-info/',
    },
    {
      id: 'add-member',
      name: 'Add a subscriber to an audience',
      inputs: [
        { name: 'listId', label: 'Audience ID', required: true, example: 'b6a4d1c9e2' },
        { name: 'email_address', label: 'Email', required: true, example: 'ada.lovelace@example.com' },
        {
          name: 'status',
          label: 'Status',
          type: 'select',
          default: 'subscribed',
          options: [
            { value: 'subscribed', label: 'Subscribed' },
            { value: 'pending', label: 'Pending (double opt-in)' },
            { value: 'unsubscribed', label: 'Unsubscribed' },
            { value: 'transactional', label: 'Transactional' },
          ],
        },
        { name: 'FNAME', label: 'First name', example: 'Ada' },
        { name: 'LNAME', label: 'Last name', example: 'Lovelace' },
      ],
      request: {
        method: 'POST',
        url: '/lists/{{listId}}/members',
        body: {
          email_address: '{{email_address}}',
          status: '{{status}}',
          merge_fields: { FNAME: '{{FNAME}}', LNAME: '{{LNAME}}' },
        },
      },
      docsUrl: 'https://mailchimp.com/developer/marketing/api/list-members/add-member-to-list/',
    },
    {
      id: 'search-members',
      name: 'Search subscribers',
      inputs: [
        {
          name: 'query',
          label: 'Search text',
          required: true,
          help: 'An email address or part of a name.',
          example: 'ada.lovelace@example.com',
        },
        { name: 'list_id', label: 'Audience ID', help: 'Only this audience.', example: 'b6a4d1c9e2' },
      ],
      request: {
        method: 'GET',
        url: '/search-members',
        query: { query: '{{query}}', list_id: '{{list_id}}' },
        output: 'exact_matches.members',
      },
      docsUrl: 'https://mailchimp.com/developer/marketing/api/search-members/search-members/',
    },
  ],
};
