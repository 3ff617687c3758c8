import type { AppInput } from '../schema.ts';

/**
 * Axelor Open Suite (self-hosted): the platform's REST services below
 * `/ws/rest/<model>`, where the model is a fully qualified entity name such as
 * com.axelor.apps.base.db.Partner. Three ways in, as Axelor Open Platform offers them:
 *
 * - Session (the default): `POST /callback` with a JSON user name and password
 *   (Axelor Open Platform 7 and later) answers with the `JSESSIONID` cookie, which
 *   every call sends back. Sessions end after `session.timeout` minutes without use
 *   (60 by default), so Hitch logs in again before an hour is up, and once when
 *   Axelor answers 401.
 *   https://docs.axelor.com/adk/latest/dev-guide/web-services/auth.html
 *   https://docs.axelor.com/adk/latest/dev-guide/application/config.html (session.timeout)
 *   No CSRF token is sent: Axelor checks `X-CSRF-Token` against its `CSRF-TOKEN` cookie
 *   only for browser requests (those with an `Origin` header), and Hitch sends none.
 *   https://docs.axelor.com/adk/latest/dev-guide/web-services/index.html#csrf-protection
 *   https://github.com/axelor/axelor-open-platform/blob/master/axelor-core/src/main/java/com/axelor/auth/pac4j/AxelorCsrfAuthorizer.java
 * - API key (Axelor Open Platform 8.0 and later): the key in the `API-KEY` header, no
 *   session. Keys expire (by default a month after creation); the date entered is kept
 *   as the connection's renew-by date, so people are warned to replace the key.
 *   https://docs.axelor.com/adk/8.0/dev-guide/web-services/auth.html
 * - Basic: only where an administrator enabled `auth.local.basic-auth = direct`.
 *   https://docs.axelor.com/adk/latest/dev-guide/modules/security.html#basic-authentication
 */

const instanceUrl = (help: string) => ({
  name: 'instanceUrl',
  label: 'Instance address',
  type: 'url' as const,
  required: true,
  editable: true,
  pattern: 'https?://[^/?#]+(/[^?#]*[^/?#])?',
  help: `The address you open Axelor at, e.g. https://erp.example.com/axelor, without a trailing slash. ${help} If it is on a private network, the administrator must list its host in HITCH_ALLOWED_HOSTS.`,
});

const verify = { url: '/com.axelor.apps.base.db.Partner?offset=0&limit=1' };

export const axelor: AppInput = {
  id: 'axelor',
  name: 'Axelor Open Suite',
  category: 'ERP',
  docsUrl: 'https://docs.axelor.com/adk/latest/dev-guide/web-services/rest.html',
  authDocsUrl: 'https://docs.axelor.com/adk/latest/dev-guide/web-services/auth.html',
  connections: [
    {
      type: 'session',
      loginUrl: '{{instanceUrl}}/callback',
      loginBody: { username: '{{username}}', password: '{{password}}' },
      session: [{ from: 'cookie', name: 'JSESSIONID' }],
      lifetimeSeconds: 3600,
      logoutUrl: '{{instanceUrl}}/logout',
      baseUrl: '{{instanceUrl}}/ws/rest',
      verify,
      parameters: [
        instanceUrl(
          'Sign in with a user name and password: works on every Axelor 7 and later. Pick API key instead on Axelor Open Platform 8.0 and later if you prefer a key that needs no password.',
        ),
        { name: 'username', label: 'User name', required: true },
        { name: 'password', label: 'Password', type: 'password', required: true, secret: true },
      ],
    },
    {
      type: 'apiKey',
      keys: [{ parameter: 'apiKey', in: 'header', name: 'API-KEY' }],
      expiresAtParameter: 'expiresAt',
      baseUrl: '{{instanceUrl}}/ws/rest',
      verify,
      parameters: [
        instanceUrl(
          'API keys need Axelor Open Platform 8.0 or later: create one under your user preferences, Manage API key.',
        ),
        { name: 'apiKey', label: 'API key', type: 'password', required: true, secret: true },
        {
          name: 'expiresAt',
          label: 'Key expires on',
          pattern: '\\d{4}-\\d{2}-\\d{2}',
          help: 'The expiration date Axelor shows for the key (a month after creation unless you chose another), as YYYY-MM-DD. Hitch warns you a week before, so you can replace the key in time.',
        },
      ],
    },
    {
      type: 'basic',
      usernameParameter: 'username',
      passwordParameter: 'password',
      baseUrl: '{{instanceUrl}}/ws/rest',
      verify,
      parameters: [
        instanceUrl(
          'HTTP Basic works only where an administrator set auth.local.basic-auth = direct in axelor-config.properties; otherwise pick Session.',
        ),
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
