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
        { name: 'subject', label: 'Subject', required: true, example: 'Your invoice for January' },
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
        {
          name: 'content',
          label: 'Body',
          type: 'textarea',
          required: true,
          example: '<p>Hello Ada,</p><p>Your invoice for January is attached.</p>',
        },
        {
          name: 'toRecipients',
          label: 'To',
          type: 'json',
          required: true,
          help: '[{"emailAddress": {"address": "ada@example.com"}}]',
          example: [{ emailAddress: { address: 'ada@example.com', name: 'Ada Lovelace' } }],
        },
        {
          name: 'ccRecipients',
          label: 'Cc',
          type: 'json',
          help: 'Same form as To.',
          example: [{ emailAddress: { address: 'grace@example.com' } }],
        },
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
        {
          name: 'filter',
          label: 'Filter',
          help: 'An OData $filter, e.g. `isRead eq false`.',
          example: 'isRead eq false',
        },
        { name: 'search', label: 'Search', help: 'Free text, in double quotes: "invoice".', example: '"invoice"' },
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
      inputs: [
        {
          name: 'messageId',
          label: 'Message ID',
          required: true,
          example:
            'AAMkAGVmMDEzMTM4LTZmYWUtNDdkNC1hMDZiLTU1OGY5OTZhYmY4OABGAAAAAAAiQ8W967B7TKBjgx9rVEURBwAiIsqMbYjsT5e-T7KzowPTAAAAAAEMAAAiIsqMbYjsT5e-T7KzowPTAASoXUT3AAA=',
        },
      ],
      request: { url: '/me/messages/{{messageId}}' },
      docsUrl: 'https://learn.microsoft.com/en-us/graph/api/message-get',
    },
    {
      id: 'move-message',
      name: 'Move a message',
      scopes: ['Mail.ReadWrite'],
      inputs: [
        {
          name: 'messageId',
          label: 'Message ID',
          required: true,
          example:
            'AAMkAGVmMDEzMTM4LTZmYWUtNDdkNC1hMDZiLTU1OGY5OTZhYmY4OABGAAAAAAAiQ8W967B7TKBjgx9rVEURBwAiIsqMbYjsT5e-T7KzowPTAAAAAAEMAAAiIsqMbYjsT5e-T7KzowPTAASoXUT3AAA=',
        },
        {
          name: 'destinationId',
          label: 'Destination folder',
          required: true,
          help: 'A folder ID or a well-known name such as `archive` or `deleteditems`.',
          example: 'archive',
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
        {
          name: 'startDateTime',
          label: 'From',
          required: true,
          help: 'ISO 8601, e.g. 2025-01-31T00:00:00Z.',
          example: '2025-01-31T00:00:00Z',
        },
        { name: 'endDateTime', label: 'To', required: true, help: 'ISO 8601.', example: '2025-02-07T00:00:00Z' },
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
        { name: 'subject', label: 'Subject', required: true, example: 'Project kickoff' },
        {
          name: 'start',
          label: 'Start',
          type: 'json',
          required: true,
          help: '{"dateTime": "2025-01-31T09:00:00", "timeZone": "Europe/Paris"}',
          example: { dateTime: '2025-01-31T09:00:00', timeZone: 'Europe/Paris' },
        },
        {
          name: 'end',
          label: 'End',
          type: 'json',
          required: true,
          help: 'Same form as the start.',
          example: { dateTime: '2025-01-31T10:00:00', timeZone: 'Europe/Paris' },
        },
        { name: 'content', label: 'Body', type: 'textarea', example: '<p>Agenda: goals, timeline and owners.</p>' },
        {
          name: 'attendees',
          label: 'Attendees',
          type: 'json',
          help: '[{"emailAddress": {"address": "ada@example.com"}, "type": "required"}]',
          example: [{ emailAddress: { address: 'ada@example.com', name: 'Ada Lovelace' }, type: 'required' }],
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
