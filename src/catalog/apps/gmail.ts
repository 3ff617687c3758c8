import type { AppInput } from '../schema.ts';
import {
  GOOGLE_AUTH_DOCS,
  GOOGLE_USERINFO_HOST,
  googleConnection,
  googleIdentityScopes,
  googleServiceAccount,
} from './google-oauth.ts';

/** Gmail API v1: send, search and label the mail of the connected Google Account. */
export const gmail: AppInput = {
  id: 'gmail',
  name: 'Gmail',
  category: 'Email',
  docsUrl: 'https://developers.google.com/workspace/gmail/api/reference/rest',
  authDocsUrl: GOOGLE_AUTH_DOCS,
  scopesDocsUrl: 'https://developers.google.com/workspace/gmail/api/auth/scopes',
  connections: [
    googleConnection('https://gmail.googleapis.com/gmail/v1'),
    googleServiceAccount('https://gmail.googleapis.com/gmail/v1'),
  ],
  hosts: [GOOGLE_USERINFO_HOST],
  scopes: [
    ...googleIdentityScopes,
    {
      name: 'https://www.googleapis.com/auth/gmail.send',
      description: 'Send email on your behalf (no reading or changing your mailbox).',
    },
    {
      name: 'https://www.googleapis.com/auth/gmail.readonly',
      description: 'Read your email messages, threads, labels and settings.',
    },
    {
      name: 'https://www.googleapis.com/auth/gmail.modify',
      description: 'Read, send and change your email and labels, without deleting anything permanently.',
    },
    {
      name: 'https://www.googleapis.com/auth/gmail.labels',
      description: 'Create, read, change and delete your labels only.',
    },
  ],
  modules: [
    {
      id: 'send-email',
      name: 'Send an email',
      description: 'Sends a message given as a complete RFC 2822 email, base64url-encoded.',
      scopes: ['https://www.googleapis.com/auth/gmail.send'],
      inputs: [
        {
          name: 'raw',
          label: 'Raw message',
          type: 'textarea',
          required: true,
          help: 'The whole email (headers and body, RFC 2822), encoded in base64url.',
          // From, To, Subject and a short plain-text body.
          example:
            'RnJvbTogYWRhLmxvdmVsYWNlQGV4YW1wbGUuY29tDQpUbzogY2hhcmxlcy5iYWJiYWdlQGV4YW1wbGUuY29tDQpTdWJqZWN0OiBNZWV0aW5nIG5vdGVzDQpDb250ZW50LVR5cGU6IHRleHQvcGxhaW47IGNoYXJzZXQ9VVRGLTgNCg0KSGVyZSBhcmUgdGhlIG5vdGVzIGZyb20gdG9kYXkuDQo',
        },
        {
          name: 'threadId',
          label: 'Thread ID',
          help: 'To send as a reply within an existing thread.',
          example: '18f3c1d07a2b9e44',
        },
      ],
      request: { method: 'POST', url: '/users/me/messages/send', body: { raw: '{{raw}}', threadId: '{{threadId}}' } },
      docsUrl: 'https://developers.google.com/workspace/gmail/api/reference/rest/v1/users.messages/send',
    },
    {
      id: 'search-messages',
      name: 'Search messages',
      description: 'Lists the IDs of messages matching a Gmail search query.',
      scopes: ['https://www.googleapis.com/auth/gmail.readonly'],
      inputs: [
        {
          name: 'q',
          label: 'Query',
          help: 'Same syntax as the Gmail search box, e.g. `from:someone@example.com is:unread`.',
          example: 'from:billing@example.com is:unread newer_than:7d',
        },
        { name: 'labelIds', label: 'Label ID', help: 'Only messages with this label, e.g. INBOX.', example: 'INBOX' },
        { name: 'maxResults', label: 'Maximum results', type: 'number', default: 100 },
      ],
      request: {
        url: '/users/me/messages',
        query: { q: '{{q}}', labelIds: '{{labelIds}}', maxResults: '{{maxResults}}' },
        output: 'messages',
      },
      docsUrl: 'https://developers.google.com/workspace/gmail/api/reference/rest/v1/users.messages/list',
    },
    {
      id: 'get-message',
      name: 'Get a message',
      scopes: ['https://www.googleapis.com/auth/gmail.readonly'],
      inputs: [
        { name: 'id', label: 'Message ID', required: true, example: '18f3c2a9b7d4e615' },
        {
          name: 'format',
          label: 'Format',
          type: 'select',
          default: 'full',
          options: [
            { value: 'full', label: 'Full' },
            { value: 'metadata', label: 'Headers only' },
            { value: 'minimal', label: 'Minimal' },
            { value: 'raw', label: 'Raw' },
          ],
        },
      ],
      request: { url: '/users/me/messages/{{id}}', query: { format: '{{format}}' } },
      docsUrl: 'https://developers.google.com/workspace/gmail/api/reference/rest/v1/users.messages/get',
    },
    {
      id: 'modify-labels',
      name: 'Add or remove labels on a message',
      description: 'Marks a message read (remove UNREAD), archives it (remove INBOX), or files it under labels.',
      scopes: ['https://www.googleapis.com/auth/gmail.modify'],
      inputs: [
        { name: 'id', label: 'Message ID', required: true, example: '18f3c2a9b7d4e615' },
        { name: 'addLabelIds', label: 'Labels to add', type: 'list', example: ['STARRED'] },
        { name: 'removeLabelIds', label: 'Labels to remove', type: 'list', example: ['UNREAD', 'INBOX'] },
      ],
      request: {
        method: 'POST',
        url: '/users/me/messages/{{id}}/modify',
        body: { addLabelIds: '{{addLabelIds}}', removeLabelIds: '{{removeLabelIds}}' },
      },
      docsUrl: 'https://developers.google.com/workspace/gmail/api/reference/rest/v1/users.messages/modify',
    },
    {
      id: 'list-labels',
      name: 'List labels',
      scopes: ['https://www.googleapis.com/auth/gmail.labels'],
      request: { url: '/users/me/labels', output: 'labels' },
      docsUrl: 'https://developers.google.com/workspace/gmail/api/reference/rest/v1/users.labels/list',
    },
  ],
};
