import type { AppInput } from '../schema.ts';
import type { ModuleInput } from './types.ts';
import { GOOGLE_AUTH_DOCS, GOOGLE_USERINFO_HOST, googleConnection, googleIdentityScopes } from './google-oauth.ts';

const CONTACTS = 'https://www.googleapis.com/auth/contacts';
const CONTACTS_READONLY = 'https://www.googleapis.com/auth/contacts.readonly';

const personFields: ModuleInput = {
  name: 'personFields',
  label: 'Fields',
  default: 'names,emailAddresses,phoneNumbers,organizations',
  help: 'Comma-separated person fields to return.',
};

/** Google People API v1: the contacts of the connected Google Account. */
export const googleContacts: AppInput = {
  id: 'google-contacts',
  name: 'Google Contacts',
  category: 'Productivity',
  docsUrl: 'https://developers.google.com/people/api/rest',
  authDocsUrl: GOOGLE_AUTH_DOCS,
  scopesDocsUrl: 'https://developers.google.com/people/api/rest/v1/people/get#authorization-scopes',
  connections: [googleConnection('https://people.googleapis.com/v1')],
  hosts: [GOOGLE_USERINFO_HOST],
  scopes: [
    ...googleIdentityScopes,
    { name: CONTACTS, description: 'See, edit, download and permanently delete your contacts.' },
    { name: CONTACTS_READONLY, description: 'See and download your contacts.' },
  ],
  modules: [
    {
      id: 'list-contacts',
      name: 'List contacts',
      scopes: [CONTACTS_READONLY],
      inputs: [personFields, { name: 'pageSize', label: 'Maximum results', type: 'number', default: 100 }],
      request: {
        url: '/people/me/connections',
        query: { personFields: '{{personFields}}', pageSize: '{{pageSize}}' },
        output: 'connections',
      },
      docsUrl: 'https://developers.google.com/people/api/rest/v1/people.connections/list',
    },
    {
      id: 'search-contacts',
      name: 'Search contacts',
      description:
        'Finds contacts whose names, nicknames, emails, phone numbers or organizations start with the query.',
      scopes: [CONTACTS_READONLY],
      inputs: [
        { name: 'query', label: 'Query', required: true, example: 'Ada' },
        { name: 'readMask', label: 'Fields', default: 'names,emailAddresses,phoneNumbers' },
      ],
      request: {
        url: '/people:searchContacts',
        query: { query: '{{query}}', readMask: '{{readMask}}' },
        output: 'results',
      },
      docsUrl: 'https://developers.google.com/people/api/rest/v1/people/searchContacts',
    },
    {
      id: 'get-contact',
      name: 'Get a contact',
      scopes: [CONTACTS_READONLY],
      inputs: [
        {
          name: 'contactId',
          label: 'Contact ID',
          required: true,
          help: 'The part after `people/` in the contact’s resource name, e.g. c12345678901234567.',
          example: 'c7318240569173640255',
        },
        personFields,
      ],
      request: { url: '/people/{{contactId}}', query: { personFields: '{{personFields}}' } },
      docsUrl: 'https://developers.google.com/people/api/rest/v1/people/get',
    },
    {
      id: 'create-contact',
      name: 'Create a contact',
      scopes: [CONTACTS],
      inputs: [
        { name: 'givenName', label: 'First name', example: 'Ada' },
        { name: 'familyName', label: 'Last name', example: 'Lovelace' },
        { name: 'email', label: 'Email address', example: 'ada.lovelace@example.com' },
        { name: 'phone', label: 'Phone number', example: '+44 20 7946 0958' },
      ],
      request: {
        method: 'POST',
        url: '/people:createContact',
        body: {
          names: [{ givenName: '{{givenName}}', familyName: '{{familyName}}' }],
          emailAddresses: [{ value: '{{email}}' }],
          phoneNumbers: [{ value: '{{phone}}' }],
        },
      },
      docsUrl: 'https://developers.google.com/people/api/rest/v1/people/createContact',
    },
  ],
};
