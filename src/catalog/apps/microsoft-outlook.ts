import type { AppInput } from '../schema.ts';
import {
  MICROSOFT_AUTH_DOCS,
  MICROSOFT_SCOPES_DOCS,
  microsoftBaseScopes,
  microsoftConnection,
} from './microsoft-oauth.ts';

/** Outlook mail and calendar through Microsoft Graph. */
export const microsoftOutlook: AppInput = {
  id: 'microsoft-outlook',
  name: 'Microsoft Outlook',
  category: 'Email',
  docsUrl: 'https://learn.microsoft.com/en-us/graph/outlook-mail-concept-overview',
  authDocsUrl: MICROSOFT_AUTH_DOCS,
  scopesDocsUrl: MICROSOFT_SCOPES_DOCS,
  connections: [microsoftConnection()],
  scopes: [
    ...microsoftBaseScopes,
    { name: 'Mail.Send', description: 'Send mail as you.' },
    { name: 'Mail.Read', description: 'Read your mail.' },
    { name: 'Mail.ReadWrite', description: 'Read, create, update and delete your mail (not send it).' },
    { name: 'Calendars.Read', description: 'Read your calendars and their events.' },
    { name: 'Calendars.ReadWrite', description: 'Read, create, update and delete events in your calendars.' },
  ],
  modules: [
    {
      id: 'send-email',
      name: 'Send an email',
      scopes: ['Mail.Send'],
      inputs: [
        { name: 'subject', label: 'Subject', required: true },
        {
          name: 'contentType',
          label: 'Body type',
          type: 'select',
          default: 'HTML',
          options: [
            { value: 'HTML', label: 'HTML' },
            { value: 'Text', label: 'Plain text' },
          ],
        },
        { name: 'content', label: 'Body', type: 'textarea', required: true },
        {
          name: 'toRecipients',
          label: 'To',
          type: 'json',
          required: true,
          help: '[{"emailAddress": {"address": "ada@example.com"}}]',
        },
        { name: 'ccRecipients', label: 'Cc', type: 'json', help: 'Same form as To.' },
        { name: 'saveToSentItems', label: 'Save in Sent Items', type: 'boolean', default: true },
      ],
      request: {
        method: 'POST',
        url: '/me/sendMail',
        body: {
          message: {
            subject: '{{subject}}',
            body: { contentType: '{{contentType}}', content: '{{content}}' },
            toRecipients: '{{toRecipients}}',
            ccRecipients: '{{ccRecipients}}',
          },
          saveToSentItems: '{{saveToSentItems}}',
        },
      },
      docsUrl: 'https://learn.microsoft.com/en-us/graph/api/user-sendmail',
    },
    {
      id: 'list-messages',
      name: 'Search messages',
      scopes: ['Mail.Read'],
      inputs: [
        { name: 'filter', label: 'Filter', help: 'An OData $filter, e.g. `isRead eq false`.' },
        { name: 'search', label: 'Search', help: 'Free text, in double quotes: "invoice".' },
        { name: 'top', label: 'Maximum results', type: 'number', default: 25 },
      ],
      request: {
        url: '/me/messages',
        query: { $filter: '{{filter}}', $search: '{{search}}', $top: '{{top}}' },
        output: 'value',
      },
      docsUrl: 'https://learn.microsoft.com/en-us/graph/api/user-list-messages',
    },
    {
      id: 'get-message',
      name: 'Get a message',
      scopes: ['Mail.Read'],
      inputs: [{ name: 'messageId', label: 'Message ID', required: true }],
      request: { url: '/me/messages/{{messageId}}' },
      docsUrl: 'https://learn.microsoft.com/en-us/graph/api/message-get',
    },
    {
      id: 'move-message',
      name: 'Move a message',
      scopes: ['Mail.ReadWrite'],
      inputs: [
        { name: 'messageId', label: 'Message ID', required: true },
        {
          name: 'destinationId',
          label: 'Destination folder',
          required: true,
          help: 'A folder ID or a well-known name such as `archive` or `deleteditems`.',
        },
      ],
      request: { method: 'POST', url: '/me/messages/{{messageId}}/move', body: { destinationId: '{{destinationId}}' } },
      docsUrl: 'https://learn.microsoft.com/en-us/graph/api/message-move',
    },
    {
      id: 'list-events',
      name: 'List calendar events',
      description: 'Lists the events (and expanded occurrences) between two dates.',
      scopes: ['Calendars.Read'],
      inputs: [
        { name: 'startDateTime', label: 'From', required: true, help: 'ISO 8601, e.g. 2025-01-31T00:00:00Z.' },
        { name: 'endDateTime', label: 'To', required: true, help: 'ISO 8601.' },
      ],
      request: {
        url: '/me/calendarView',
        query: { startDateTime: '{{startDateTime}}', endDateTime: '{{endDateTime}}' },
        output: 'value',
      },
      docsUrl: 'https://learn.microsoft.com/en-us/graph/api/user-list-calendarview',
    },
    {
      id: 'create-event',
      name: 'Create a calendar event',
      scopes: ['Calendars.ReadWrite'],
      inputs: [
        { name: 'subject', label: 'Subject', required: true },
        {
          name: 'start',
          label: 'Start',
          type: 'json',
          required: true,
          help: '{"dateTime": "2025-01-31T09:00:00", "timeZone": "Europe/Paris"}',
        },
        { name: 'end', label: 'End', type: 'json', required: true, help: 'Same form as the start.' },
        { name: 'content', label: 'Body', type: 'textarea' },
        {
          name: 'attendees',
          label: 'Attendees',
          type: 'json',
          help: '[{"emailAddress": {"address": "ada@example.com"}, "type": "required"}]',
        },
      ],
      request: {
        method: 'POST',
        url: '/me/events',
        body: {
          subject: '{{subject}}',
          start: '{{start}}',
          end: '{{end}}',
          body: { contentType: 'HTML', content: '{{content}}' },
          attendees: '{{attendees}}',
        },
      },
      docsUrl: 'https://learn.microsoft.com/en-us/graph/api/user-post-events',
    },
  ],
};
