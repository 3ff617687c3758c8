import type { AppInput } from '../schema.ts';

/**
 * Jotform: an API key in the `APIKEY` header. Accounts on the EU or HIPAA
 * servers use their own API host.
 */
export const jotform: AppInput = {
  id: 'jotform',
  name: 'Jotform',
  category: 'Forms',
  docsUrl: 'https://api.jotform.com/docs/#authentication',
  connections: [
    {
      type: 'apiKey',
      keys: [{ parameter: 'apiKey', in: 'header', name: 'APIKEY' }],
      baseUrl: 'https://{{apiHost}}',
      verify: { url: '/user', accountId: ['content.username'], accountLabel: ['content.email', 'content.username'] },
      parameters: [
        {
          name: 'apiKey',
          label: 'API key',
          type: 'password',
          required: true,
          secret: true,
          help: 'My Account → API → Create New Key.',
        },
        {
          name: 'apiHost',
          label: 'Server',
          type: 'select',
          advanced: true,
          default: 'api.jotform.com',
          options: [
            { value: 'api.jotform.com', label: 'Standard' },
            { value: 'eu-api.jotform.com', label: 'EU' },
            { value: 'hipaa-api.jotform.com', label: 'HIPAA' },
          ],
        },
      ],
    },
  ],
  fullAccess: {
    docsUrl: 'https://api.jotform.com/docs/#authentication',
    description: 'A key has the read or full access chosen when it was created, over the whole account.',
  },
  modules: [
    {
      id: 'list-forms',
      name: 'List forms',
      inputs: [{ name: 'limit', label: 'How many', type: 'number', default: 20 }],
      request: { method: 'GET', url: '/user/forms', query: { limit: '{{limit}}' }, output: 'content' },
      docsUrl: 'https://api.jotform.com/docs/#user-forms',
    },
    {
      id: 'list-submissions',
      name: 'List a form’s submissions',
      inputs: [
        { name: 'formId', label: 'Form ID', required: true, example: '241536789012345' },
        { name: 'limit', label: 'How many', type: 'number', default: 20 },
      ],
      request: {
        method: 'GET',
        url: '/form/{{formId}}/submissions',
        query: { limit: '{{limit}}', orderby: 'created_at' },
        output: 'content',
      },
      docsUrl: 'https://api.jotform.com/docs/#form-id-submissions',
    },
    {
      id: 'get-submission',
      name: 'Get a submission',
      inputs: [{ name: 'submissionId', label: 'Submission ID', required: true, example: '5934781025613749821' }],
      request: { method: 'GET', url: '/submission/{{submissionId}}', output: 'content' },
      docsUrl: 'https://api.jotform.com/docs/#submission-id',
    },
  ],
};
