import type { AppInput } from '../schema.ts';
import { httpExpiredWhen, httpExpiredWhenParameters } from './http-expired-when.ts';
import { httpSession } from './http-session.ts';

/**
 * The generic HTTP app: OAuth 2.0 (authorization code or client credentials),
 * API keys, Basic and session login to any service, with the fields Make's HTTP app offers.
 * Every URL and quirk comes from the person's parameters; OpenID discovery
 * fills the URIs when `issuer` is given.
 */
export const http: AppInput = {
  id: 'http',
  name: 'HTTP',
  category: 'Generic',
  docsUrl: 'https://www.rfc-editor.org/rfc/rfc6749',
  connections: [
    {
      type: 'oauth2',
      flow: '{{flow}}',
      authorizeUrl: '{{authorizeUri}}',
      tokenUrl: '{{tokenUri}}',
      revokeUrl: '{{revokeUri}}',
      issuer: '{{issuer}}',
      scopeSeparator: '{{scopeSeparator}}',
      pkce: '{{pkce}}',
      clientAuth: '{{clientAuth}}',
      authorizeParameters: '{{authorizeParameters}}',
      tokenParameters: '{{tokenParameters}}',
      refreshParameters: '{{refreshParameters}}',
      tokenHeaders: '{{headers}}',
      placement: {
        in: '{{tokenPlacement}}',
        headerName: 'Authorization',
        headerPrefix: '{{headerTokenName}}',
        queryName: '{{queryParameterName}}',
      },
      baseUrl: '{{baseUrl}}',
      verify: {
        url: '{{verifyUri}}',
        accountId: ['sub', 'id', 'user_id', 'login'],
        accountLabel: ['email', 'login', 'username', 'name', 'preferred_username', 'sub'],
      },
      expiredWhen: httpExpiredWhen,
      parameters: [
        {
          name: 'flow',
          label: 'Flow',
          type: 'select',
          advanced: true,
          default: 'authorization_code',
          options: [
            { value: 'authorization_code', label: 'Authorization code (a person consents)' },
            { value: 'client_credentials', label: 'Client credentials (no person)' },
          ],
        },
        {
          name: 'authorizeUri',
          label: 'Authorize URI',
          type: 'url',
          help: 'Where people grant access, from the service’s OAuth documentation; not needed for client credentials.',
        },
        { name: 'tokenUri', label: 'Token URI', type: 'url', help: 'Where Hitch exchanges codes and refresh tokens.' },
        { name: 'clientId', label: 'Client ID', required: true },
        { name: 'clientSecret', label: 'Client Secret', type: 'password', secret: true },
        {
          name: 'issuer',
          label: 'Issuer',
          type: 'url',
          advanced: true,
          help: 'An OpenID Connect issuer: its discovery document fills in the URIs and enables the iss check.',
        },
        { name: 'revokeUri', label: 'Revoke URI', type: 'url', advanced: true },
        {
          name: 'verifyUri',
          label: 'Verify URI',
          type: 'url',
          advanced: true,
          help: 'A “who am I” address called to check the connection and name the account.',
        },
        {
          name: 'baseUrl',
          label: 'Base URL',
          type: 'url',
          advanced: true,
          editable: true,
          help: 'Requests made through the connection go below this address.',
        },
        {
          name: 'scopeSeparator',
          label: 'Scope separator',
          type: 'select',
          advanced: true,
          default: ' ',
          options: [
            { value: ' ', label: 'Space' },
            { value: ',', label: 'Comma' },
          ],
        },
        {
          name: 'clientAuth',
          label: 'Client authentication',
          type: 'select',
          advanced: true,
          default: 'client_secret_post',
          options: [
            { value: 'client_secret_post', label: 'In the request body' },
            { value: 'client_secret_basic', label: 'HTTP Basic' },
          ],
        },
        { name: 'pkce', label: 'PKCE', type: 'boolean', advanced: true, default: true },
        { name: 'authorizeParameters', label: 'Authorize parameters', type: 'map', advanced: true, default: {} },
        { name: 'tokenParameters', label: 'Token parameters', type: 'map', advanced: true, default: {} },
        { name: 'refreshParameters', label: 'Refresh parameters', type: 'map', advanced: true, default: {} },
        { name: 'headers', label: 'Token request headers', type: 'map', advanced: true, default: {} },
        {
          name: 'tokenPlacement',
          label: 'Token placement',
          type: 'select',
          advanced: true,
          editable: true,
          default: 'header',
          options: [
            { value: 'header', label: 'In the header' },
            { value: 'query', label: 'In the query string' },
            { value: 'both', label: 'Both' },
          ],
        },
        { name: 'headerTokenName', label: 'Header token name', advanced: true, editable: true, default: 'Bearer' },
        {
          name: 'queryParameterName',
          label: 'Query parameter name',
          advanced: true,
          editable: true,
          default: 'access_token',
        },
        ...httpExpiredWhenParameters,
      ],
    },
    {
      type: 'apiKey',
      keys: [{ parameter: 'key', in: '{{placement}}', name: '{{parameterName}}', prefix: '{{prefix}}' }],
      baseUrl: '{{baseUrl}}',
      verify: {
        url: '{{verifyUri}}',
        accountId: ['id', 'user_id', 'login', 'sub'],
        accountLabel: ['email', 'login', 'username', 'name'],
      },
      parameters: [
        { name: 'key', label: 'API key', type: 'password', secret: true, required: true },
        {
          name: 'placement',
          label: 'API key placement',
          type: 'select',
          default: 'header',
          options: [
            { value: 'header', label: 'In the header' },
            { value: 'query', label: 'In the query string' },
          ],
        },
        {
          name: 'parameterName',
          label: 'API key parameter name',
          required: true,
          help: 'The header (X-API-Key, Authorization) or query parameter (api_key) the service reads the key from.',
        },
        {
          name: 'prefix',
          label: 'Prefix',
          advanced: true,
          help: 'Put before the key with a space, e.g. Bearer or Token.',
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
          help: 'An address that answers 401 or 403 to a wrong key; checked before the connection is saved.',
        },
      ],
    },
    {
      type: 'basic',
      baseUrl: '{{baseUrl}}',
      verify: {
        url: '{{verifyUri}}',
        accountId: ['id', 'user_id', 'login', 'sub'],
        accountLabel: ['email', 'login', 'username', 'name'],
      },
      parameters: [
        { name: 'username', label: 'Username', required: true },
        { name: 'password', label: 'Password', type: 'password', secret: true, required: true },
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
          help: 'An address that answers 401 or 403 to wrong credentials; checked before the connection is saved.',
        },
      ],
    },
    httpSession,
  ],
};
