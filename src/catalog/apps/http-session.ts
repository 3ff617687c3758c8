import type { AppInput } from '../schema.ts';
import { httpExpiredWhen, httpExpiredWhenParameters } from './http-expired-when.ts';

/**
 * The generic app's session login: a login request exchanges a user name and
 * password for a session (cookies, a header, a JSON field), which Hitch keeps
 * encrypted, places on every call and renews by logging in again.
 */
export const httpSession: AppInput['connections'][number] = {
  type: 'session',
  loginUrl: '{{loginUri}}',
  loginMethod: '{{loginMethod}}',
  loginContentType: '{{loginContentType}}',
  loginBody: '{{loginBody}}',
  session: { from: '{{sessionFrom}}', placement: '{{sessionPlacement}}' },
  lifetimePath: '{{sessionLifetimePath}}',
  lifetimeSeconds: '{{sessionLifetimeSeconds}}',
  baseUrl: '{{baseUrl}}',
  verify: {
    url: '{{verifyUri}}',
    accountId: ['id', 'user_id', 'login', 'sub', 'username'],
    accountLabel: ['email', 'login', 'username', 'name'],
  },
  expiredWhen: httpExpiredWhen,
  parameters: [
    {
      name: 'loginUri',
      label: 'Login URI',
      type: 'url',
      required: true,
      help: 'Where the user name and password are sent to start a session (it follows no redirect).',
    },
    { name: 'username', label: 'User name', required: true },
    { name: 'password', label: 'Password', type: 'password', secret: true, required: true },
    {
      name: 'loginBody',
      label: 'Login body',
      required: true,
      default: '{"username": "{{username}}", "password": "{{password}}"}',
      help: 'The login request’s body, with {{username}} and {{password}} where they go (JSON, or name=value&… for a form).',
    },
    {
      name: 'sessionFrom',
      label: 'Session from',
      type: 'list',
      required: true,
      help: 'What the login answer yields, one a line: cookie:NAME (a Set-Cookie), header:NAME or json:PATH (e.g. json:data.token).',
    },
    {
      name: 'sessionPlacement',
      label: 'Session placement',
      type: 'list',
      advanced: true,
      help: 'How calls carry each value, one a line in the same order: cookie, cookie:NAME, header:NAME or header:NAME:PREFIX (e.g. header:Authorization:Bearer). Default: cookies back as cookies, headers in the same header, JSON values as Authorization: Bearer.',
    },
    {
      name: 'sessionLifetimeSeconds',
      label: 'Session lifetime (seconds)',
      advanced: true,
      pattern: '[1-9]\\d*',
      help: 'How long a session lasts when the answer does not say (no cookie Max-Age or Expires, no lifetime field). Empty: until the service says it expired.',
    },
    {
      name: 'sessionLifetimePath',
      label: 'Session lifetime field',
      advanced: true,
      help: 'A dot path into the login answer holding the lifetime in seconds or the end as a date, e.g. expires_in.',
    },
    {
      name: 'loginMethod',
      label: 'Login method',
      type: 'select',
      advanced: true,
      default: 'POST',
      options: [
        { value: 'POST', label: 'POST' },
        { value: 'PUT', label: 'PUT' },
      ],
    },
    {
      name: 'loginContentType',
      label: 'Login body type',
      type: 'select',
      advanced: true,
      default: 'json',
      options: [
        { value: 'json', label: 'JSON' },
        { value: 'form', label: 'Form (application/x-www-form-urlencoded)' },
      ],
    },
    {
      name: 'baseUrl',
      label: 'Base URL',
      type: 'url',
      required: true,
      editable: true,
      help: 'Requests made through the connection go below this address.',
    },
    {
      name: 'verifyUri',
      label: 'Verify URI',
      type: 'url',
      advanced: true,
      help: 'An address that answers 401 or 403 without a session; called with the new session before the connection is saved.',
    },
    ...httpExpiredWhenParameters,
  ],
};
