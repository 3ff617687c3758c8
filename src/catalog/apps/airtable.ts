import type { AppInput } from '../schema.ts';
import type { ModuleInput } from './types.ts';

const baseId: ModuleInput = {
  name: 'baseId',
  label: 'Base ID',
  required: true,
  help: 'Starts with app, as in airtable.com/appXXXXXXXXXXXXXX.',
  example: 'appq7Xr2LmKd9TbWz',
};
const table: ModuleInput = {
  name: 'table',
  label: 'Table',
  required: true,
  help: 'The table’s name or ID (tblXXXXXXXXXXXXXX).',
  example: 'tblR4nVw8YcJ2kPqE',
};
const recordId: ModuleInput = {
  name: 'recordId',
  label: 'Record ID',
  required: true,
  help: 'Starts with rec.',
  example: 'recH3tLp7WzQ1sNfA',
};

/**
 * Airtable Web API. OAuth requires PKCE; a client with a secret authenticates
 * to the token endpoint with HTTP Basic. Access tokens last an hour and each
 * refresh returns a new refresh token.
 */
export const airtable: AppInput = {
  id: 'airtable',
  name: 'Airtable',
  category: 'Databases',
  docsUrl: 'https://airtable.com/developers/web/api/introduction',
  authDocsUrl: 'https://airtable.com/developers/web/api/oauth-reference',
  scopesDocsUrl: 'https://airtable.com/developers/web/api/scopes',
  connections: [
    {
      type: 'oauth2',
      authorizeUrl: 'https://airtable.com/oauth2/v1/authorize',
      tokenUrl: 'https://airtable.com/oauth2/v1/token',
      scopeSeparator: ' ',
      baseScopes: ['user.email:read'],
      pkce: true,
      clientAuth: 'client_secret_basic',
      baseUrl: 'https://api.airtable.com/v0',
      verify: { url: '/meta/whoami', accountId: ['id'], accountLabel: ['email', 'id'] },
    },
    {
      type: 'apiKey',
      keys: [{ parameter: 'token', in: 'header', name: 'Authorization', prefix: 'Bearer' }],
      baseUrl: 'https://api.airtable.com/v0',
      verify: { url: '/meta/whoami', accountId: ['id'], accountLabel: ['email', 'id'] },
      parameters: [
        {
          name: 'token',
          label: 'Personal access token',
          type: 'password',
          required: true,
          secret: true,
          pattern: '^pat\\S+$',
          help: 'Created at airtable.com/create/tokens with the scopes and bases it may use.',
        },
      ],
    },
  ],
  scopes: [
    { name: 'user.email:read', description: 'See your email address.' },
    { name: 'data.records:read', description: 'See the records in your bases.' },
    { name: 'data.records:write', description: 'Create, edit and delete records in your bases.' },
    { name: 'schema.bases:read', description: 'See the structure of your bases: tables, fields and views.' },
  ],
  modules: [
    {
      id: 'list-bases',
      name: 'List bases',
      scopes: ['schema.bases:read'],
      request: { url: '/meta/bases', output: 'bases' },
      docsUrl: 'https://airtable.com/developers/web/api/list-bases',
    },
    {
      id: 'search-records',
      name: 'Search records',
      scopes: ['data.records:read'],
      inputs: [
        baseId,
        table,
        {
          name: 'filterByFormula',
          label: 'Formula',
          help: 'Records for which it is true, e.g. {Status} = "Done".',
          example: '{Status} = "Done"',
        },
        { name: 'view', label: 'View', help: 'Only records in this view, in its order.', example: 'Grid view' },
        { name: 'maxRecords', label: 'Maximum results', type: 'number', default: 100 },
      ],
      request: {
        url: '/{{baseId}}/{{table}}',
        query: { filterByFormula: '{{filterByFormula}}', view: '{{view}}', maxRecords: '{{maxRecords}}' },
        output: 'records',
      },
      docsUrl: 'https://airtable.com/developers/web/api/list-records',
    },
    {
      id: 'get-record',
      name: 'Get a record',
      scopes: ['data.records:read'],
      inputs: [baseId, table, recordId],
      request: { url: '/{{baseId}}/{{table}}/{{recordId}}' },
      docsUrl: 'https://airtable.com/developers/web/api/get-record',
    },
    {
      id: 'create-record',
      name: 'Create a record',
      scopes: ['data.records:write'],
      inputs: [
        baseId,
        table,
        {
          name: 'fields',
          label: 'Fields',
          type: 'json',
          required: true,
          help: 'Values keyed by field name: {"Name": "Ada", "Status": "New"}.',
          example: { Name: 'Ada Lovelace', Status: 'New' },
        },
        {
          name: 'typecast',
          label: 'Convert values',
          type: 'boolean',
          default: false,
          help: 'Let Airtable convert text to the fields’ types, adding select options when needed.',
        },
      ],
      request: {
        method: 'POST',
        url: '/{{baseId}}/{{table}}',
        body: { fields: '{{fields}}', typecast: '{{typecast}}' },
      },
      docsUrl: 'https://airtable.com/developers/web/api/create-records',
    },
    {
      id: 'update-record',
      name: 'Update a record',
      description: 'Changes only the fields given.',
      scopes: ['data.records:write'],
      inputs: [
        baseId,
        table,
        recordId,
        { name: 'fields', label: 'Fields', type: 'json', required: true, example: { Status: 'Done' } },
        { name: 'typecast', label: 'Convert values', type: 'boolean', default: false },
      ],
      request: {
        method: 'PATCH',
        url: '/{{baseId}}/{{table}}/{{recordId}}',
        body: { fields: '{{fields}}', typecast: '{{typecast}}' },
      },
      docsUrl: 'https://airtable.com/developers/web/api/update-record',
    },
  ],
};
