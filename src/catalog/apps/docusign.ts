import type { AppInput } from '../schema.ts';

/**
 * DocuSign eSignature: authorization code grant on the production or
 * developer (demo) account server, client authenticated with HTTP Basic.
 * Each DocuSign account is served from its own base URI, listed by the
 * userinfo endpoint; the person gives it with the account ID.
 */
export const docusign: AppInput = {
  id: 'docusign',
  name: 'DocuSign',
  category: 'Documents',
  docsUrl: 'https://developers.docusign.com/platform/auth/authcode/authcode-get-token/',
  authDocsUrl: 'https://developers.docusign.com/platform/auth/authcode/authcode-get-token/',
  connections: [
    {
      type: 'oauth2',
      authorizeUrl: 'https://{{authHost}}/oauth/auth',
      tokenUrl: 'https://{{authHost}}/oauth/token',
      baseScopes: ['signature'],
      clientAuth: 'client_secret_basic',
      baseUrl: '{{baseUri}}/restapi/v2.1/accounts/{{accountId}}',
      verify: { url: 'https://{{authHost}}/oauth/userinfo', accountId: ['sub'], accountLabel: ['email', 'name'] },
      parameters: [
        {
          name: 'authHost',
          label: 'Environment',
          type: 'select',
          required: true,
          default: 'account.docusign.com',
          options: [
            { value: 'account.docusign.com', label: 'Production' },
            { value: 'account-d.docusign.com', label: 'Developer (demo)' },
          ],
        },
        {
          name: 'accountId',
          label: 'Account ID',
          required: true,
          editable: true,
          pattern: '[0-9a-fA-F-]{36}',
          help: 'Settings → Apps and Keys → API Account ID.',
        },
        {
          name: 'baseUri',
          label: 'Account base URI',
          type: 'url',
          required: true,
          editable: true,
          pattern: 'https://[a-z0-9-]+\\.docusign\\.net',
          help: 'Settings → Apps and Keys → Account Base URI, e.g. https://na3.docusign.net (https://demo.docusign.net for developer accounts).',
        },
      ],
    },
    {
      // JWT Grant: the integration key signs as itself (`iss`) for the user it impersonates (`sub`, a user ID);
      // `aud` is the account server's host without https://. The user (or an administrator) consents once.
      // https://developers.docusign.com/platform/auth/jwt-get-token/
      // https://developers.docusign.com/platform/auth/consent/obtaining-individual-consent/
      type: 'jwt',
      flow: 'assertion',
      tokenUrl: 'https://{{authHost}}/oauth/token',
      claims: { iss: '{{integrationKey}}', sub: '{{userId}}', aud: '{{authHost}}' },
      algorithm: 'RS256',
      assertionLifetimeSeconds: 3600,
      baseScopes: ['signature', 'impersonation'],
      scopeIn: 'claims',
      consentUrl:
        'https://{{authHost}}/oauth/auth?response_type=code&scope=signature%20impersonation&client_id={{integrationKey}}&redirect_uri={{consentRedirectUri}}',
      baseUrl: '{{baseUri}}/restapi/v2.1/accounts/{{accountId}}',
      verify: { url: 'https://{{authHost}}/oauth/userinfo', accountId: ['sub'], accountLabel: ['email', 'name'] },
      parameters: [
        {
          name: 'authHost',
          label: 'Environment',
          type: 'select',
          required: true,
          default: 'account.docusign.com',
          options: [
            { value: 'account.docusign.com', label: 'Production' },
            { value: 'account-d.docusign.com', label: 'Developer (demo)' },
          ],
        },
        { name: 'integrationKey', label: 'Integration key', required: true, help: 'Settings → Apps and Keys.' },
        {
          name: 'userId',
          label: 'User ID',
          required: true,
          pattern: '[0-9a-fA-F-]{36}',
          help: 'The ID of the user the connection acts as (Settings → Apps and Keys → User ID).',
        },
        {
          name: 'privateKey',
          label: 'RSA private key',
          type: 'password',
          secret: true,
          required: true,
          help: 'The private key of the integration key’s RSA key pair, BEGIN and END lines included.',
        },
        {
          name: 'consentRedirectUri',
          label: 'Consent redirect URI',
          type: 'url',
          required: true,
          help: 'One of the integration key’s redirect URIs: DocuSign sends the person there after they consent.',
        },
        {
          name: 'accountId',
          label: 'Account ID',
          required: true,
          editable: true,
          pattern: '[0-9a-fA-F-]{36}',
          help: 'Settings → Apps and Keys → API Account ID.',
        },
        {
          name: 'baseUri',
          label: 'Account base URI',
          type: 'url',
          required: true,
          editable: true,
          pattern: 'https://[a-z0-9-]+\\.docusign\\.net',
          help: 'Settings → Apps and Keys → Account Base URI, e.g. https://na3.docusign.net (https://demo.docusign.net for developer accounts).',
        },
      ],
    },
  ],
  scopesDocsUrl: 'https://developers.docusign.com/platform/auth/reference/scopes/',
  scopes: [{ name: 'signature', description: 'Send documents for signature and see their status.' }],
  modules: [
    {
      id: 'send-from-template',
      name: 'Send an envelope from a template',
      scopes: ['signature'],
      inputs: [
        { name: 'templateId', label: 'Template ID', required: true, example: 'a3c1e2f4-5b6d-4e7f-8a9b-0c1d2e3f4a5b' },
        {
          name: 'roleName',
          label: 'Recipient role',
          required: true,
          help: 'The role name defined in the template, e.g. Signer.',
          example: 'Signer',
        },
        { name: 'email', label: 'Recipient email', required: true, example: 'ada.lovelace@example.com' },
        { name: 'name', label: 'Recipient name', required: true, example: 'Ada Lovelace' },
        { name: 'emailSubject', label: 'Email subject', example: 'Please sign your service agreement' },
      ],
      request: {
        method: 'POST',
        url: '/envelopes',
        body: {
          templateId: '{{templateId}}',
          emailSubject: '{{emailSubject}}',
          templateRoles: [{ roleName: '{{roleName}}', email: '{{email}}', name: '{{name}}' }],
          status: 'sent',
        },
      },
      docsUrl: 'https://developers.docusign.com/docs/esign-rest-api/reference/envelopes/envelopes/create/',
    },
    {
      id: 'get-envelope',
      name: 'Get an envelope’s status',
      scopes: ['signature'],
      inputs: [
        { name: 'envelopeId', label: 'Envelope ID', required: true, example: '93be49ab-3c2d-4e1f-9a8b-7c6d5e4f3a21' },
      ],
      request: { method: 'GET', url: '/envelopes/{{envelopeId}}' },
      docsUrl: 'https://developers.docusign.com/docs/esign-rest-api/reference/envelopes/envelopes/get/',
    },
    {
      id: 'list-envelopes',
      name: 'List envelopes',
      scopes: ['signature'],
      inputs: [
        {
          name: 'from_date',
          label: 'Changed since',
          required: true,
          help: 'A date such as 2025-01-01.',
          example: '2025-01-01',
        },
        { name: 'status', label: 'Status', help: 'e.g. sent, completed, declined.', example: 'completed' },
      ],
      request: {
        method: 'GET',
        url: '/envelopes',
        query: { from_date: '{{from_date}}', status: '{{status}}' },
        output: 'envelopes',
      },
      docsUrl: 'https://developers.docusign.com/docs/esign-rest-api/reference/envelopes/envelopes/liststatuschanges/',
    },
  ],
};
