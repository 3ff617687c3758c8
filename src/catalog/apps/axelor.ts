import type { AppInput } from '../schema.ts';

/**
 * Axelor Open Suite (self-hosted): HTTP Basic with an Axelor user against the
 * platform's REST services below `/ws/rest/<model>`, where the model is a
 * fully qualified entity name such as com.axelor.apps.base.db.Partner.
 */
export const axelor: AppInput = {
  id: 'axelor',
  name: 'Axelor Open Suite',
  category: 'ERP',
  docsUrl: 'https://docs.axelor.com/adk/latest/dev-guide/web-services/rest.html',
  connections: [
    {
      type: 'basic',
      usernameParameter: 'username',
      passwordParameter: 'password',
      baseUrl: '{{instanceUrl}}/ws/rest',
      verify: { url: '/com.axelor.apps.base.db.Partner?offset=0&limit=1' },
      parameters: [
        {
          name: 'instanceUrl',
          label: 'Instance address',
          type: 'url',
          required: true,
          editable: true,
          pattern: 'https?://[^/?#]+(/[^?#]*[^/?#])?',
          help: 'The address you open Axelor at, e.g. https://erp.example.com/axelor, without a trailing slash. If it is on a private network, the administrator must list its host in HITCH_ALLOWED_HOSTS.',
        },
        { name: 'username', label: 'User name', required: true },
        { name: 'password', label: 'Password', type: 'password', required: true, secret: true },
      ],
    },
  ],
  fullAccess: {
    docsUrl: 'https://docs.axelor.com/adk/latest/dev-guide/web-services/rest.html',
    description: 'The connection can do what its Axelor user’s roles and permissions allow.',
  },
  modules: [
    {
      id: 'search-records',
      name: 'Search records',
      inputs: [
        {
          name: 'model',
          label: 'Model',
          required: true,
          default: 'com.axelor.apps.base.db.Partner',
          help: 'Fully qualified entity name.',
        },
        {
          name: 'criteria',
          label: 'Criteria',
          type: 'json',
          help: 'e.g. [{"fieldName": "name", "operator": "like", "value": "Acme"}].',
          example: [{ fieldName: 'name', operator: 'like', value: 'Acme' }],
        },
        {
          name: 'fields',
          label: 'Fields',
          type: 'list',
          help: 'Field names to return.',
          example: ['name', 'fullName', 'partnerSeq'],
        },
        { name: 'limit', label: 'How many', type: 'number', default: 40 },
      ],
      request: {
        method: 'POST',
        url: '/{{model}}/search',
        body: {
          offset: 0,
          limit: '{{limit}}',
          fields: '{{fields}}',
          data: { criteria: '{{criteria}}', operator: 'and' },
        },
        output: 'data',
      },
      docsUrl: 'https://docs.axelor.com/adk/latest/dev-guide/web-services/rest.html',
    },
    {
      id: 'get-record',
      name: 'Get a record',
      inputs: [
        { name: 'model', label: 'Model', required: true, example: 'com.axelor.apps.base.db.Partner' },
        { name: 'id', label: 'Record ID', type: 'number', required: true, example: 42 },
      ],
      request: { method: 'GET', url: '/{{model}}/{{id}}', output: 'data.0' },
      docsUrl: 'https://docs.axelor.com/adk/latest/dev-guide/web-services/rest.html',
    },
    {
      id: 'create-record',
      name: 'Create a record',
      inputs: [
        { name: 'model', label: 'Model', required: true, example: 'com.axelor.apps.base.db.Partner' },
        {
          name: 'data',
          label: 'Fields',
          type: 'json',
          required: true,
          example: { name: 'Acme Corporation', isCustomer: true },
        },
      ],
      request: { method: 'PUT', url: '/{{model}}', body: { data: '{{data}}' }, output: 'data.0' },
      docsUrl: 'https://docs.axelor.com/adk/latest/dev-guide/web-services/rest.html',
    },
    {
      id: 'update-record',
      name: 'Update a record',
      inputs: [
        { name: 'model', label: 'Model', required: true, example: 'com.axelor.apps.base.db.Partner' },
        { name: 'id', label: 'Record ID', type: 'number', required: true, example: 42 },
        {
          name: 'data',
          label: 'Fields to change',
          type: 'json',
          required: true,
          help: 'Must include the record’s current "version", which Axelor checks to refuse conflicting edits, e.g. {"version": 3, "name": "Acme"}.',
          example: { version: 3, name: 'Acme Corporation' },
        },
      ],
      request: { method: 'POST', url: '/{{model}}/{{id}}', body: { data: '{{data}}' }, output: 'data.0' },
      docsUrl: 'https://docs.axelor.com/adk/latest/dev-guide/web-services/rest.html',
    },
  ],
};
