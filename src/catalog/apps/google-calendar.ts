import type { AppInput } from '../schema.ts';
import type { ModuleInput } from './types.ts';
import {
  GOOGLE_AUTH_DOCS,
  GOOGLE_USERINFO_HOST,
  googleConnection,
  googleIdentityScopes,
  googleServiceAccount,
} from './google-oauth.ts';

const CALENDAR_READONLY = 'https://www.googleapis.com/auth/calendar.readonly';
const EVENTS = 'https://www.googleapis.com/auth/calendar.events';
const EVENTS_READONLY = 'https://www.googleapis.com/auth/calendar.events.readonly';

const calendarId: ModuleInput = {
  name: 'calendarId',
  label: 'Calendar ID',
  required: true,
  default: 'primary',
  help: '`primary` for the main calendar, or an ID from “List calendars”.',
};

/** Google Calendar API v3: calendars and events. */
export const googleCalendar: AppInput = {
  id: 'google-calendar',
  name: 'Google Calendar',
  category: 'Productivity',
  docsUrl: 'https://developers.google.com/workspace/calendar/api/v3/reference',
  authDocsUrl: GOOGLE_AUTH_DOCS,
  scopesDocsUrl: 'https://developers.google.com/workspace/calendar/api/auth',
  connections: [
    googleConnection('https://www.googleapis.com/calendar/v3'),
    googleServiceAccount('https://www.googleapis.com/calendar/v3'),
  ],
  hosts: [GOOGLE_USERINFO_HOST],
  scopes: [
    ...googleIdentityScopes,
    { name: CALENDAR_READONLY, description: 'See and download any calendar you can access.' },
    { name: EVENTS, description: 'View and edit events on all your calendars.' },
    { name: EVENTS_READONLY, description: 'View events on all your calendars.' },
  ],
  modules: [
    {
      id: 'list-calendars',
      name: 'List calendars',
      scopes: [CALENDAR_READONLY],
      request: { url: '/users/me/calendarList', output: 'items' },
      docsUrl: 'https://developers.google.com/workspace/calendar/api/v3/reference/calendarList/list',
    },
    {
      id: 'search-events',
      name: 'Search events',
      scopes: [EVENTS_READONLY],
      inputs: [
        calendarId,
        {
          name: 'timeMin',
          label: 'Start after',
          help: 'RFC 3339 date-time, e.g. 2025-01-31T09:00:00Z.',
          example: '2025-07-01T00:00:00Z',
        },
        { name: 'timeMax', label: 'Start before', help: 'RFC 3339 date-time.', example: '2025-07-31T23:59:59Z' },
        {
          name: 'q',
          label: 'Text',
          help: 'Free text found in the summary, description, location or attendees.',
          example: 'standup',
        },
        { name: 'maxResults', label: 'Maximum results', type: 'number', default: 250 },
      ],
      request: {
        url: '/calendars/{{calendarId}}/events',
        query: {
          timeMin: '{{timeMin}}',
          timeMax: '{{timeMax}}',
          q: '{{q}}',
          maxResults: '{{maxResults}}',
          singleEvents: 'true',
          orderBy: 'startTime',
        },
        output: 'items',
      },
      docsUrl: 'https://developers.google.com/workspace/calendar/api/v3/reference/events/list',
    },
    {
      id: 'create-event',
      name: 'Create an event',
      scopes: [EVENTS],
      inputs: [
        calendarId,
        { name: 'summary', label: 'Title', required: true, example: 'Project kickoff' },
        {
          name: 'start',
          label: 'Start',
          type: 'json',
          required: true,
          help: '{"dateTime": "2025-01-31T09:00:00+01:00"} or {"date": "2025-01-31"} for all day.',
          example: { dateTime: '2025-07-15T10:00:00+02:00', timeZone: 'Europe/Paris' },
        },
        {
          name: 'end',
          label: 'End',
          type: 'json',
          required: true,
          help: 'Same form as the start.',
          example: { dateTime: '2025-07-15T11:00:00+02:00', timeZone: 'Europe/Paris' },
        },
        {
          name: 'description',
          label: 'Description',
          type: 'textarea',
          example: 'Goals, roles and the first milestones.',
        },
        { name: 'location', label: 'Location', example: 'Meeting room 2, 10 Rue de Rivoli, Paris' },
        {
          name: 'attendees',
          label: 'Attendees',
          type: 'json',
          help: '[{"email": "ada@example.com"}]',
          example: [{ email: 'ada.lovelace@example.com' }, { email: 'grace.hopper@example.com' }],
        },
      ],
      request: {
        method: 'POST',
        url: '/calendars/{{calendarId}}/events',
        body: {
          summary: '{{summary}}',
          start: '{{start}}',
          end: '{{end}}',
          description: '{{description}}',
          location: '{{location}}',
          attendees: '{{attendees}}',
        },
      },
      docsUrl: 'https://developers.google.com/workspace/calendar/api/v3/reference/events/insert',
    },
    {
      id: 'quick-add-event',
      name: 'Quick add an event',
      description: 'Creates an event from a sentence such as “Lunch with Ada tomorrow at noon”.',
      scopes: [EVENTS],
      inputs: [calendarId, { name: 'text', label: 'Text', required: true, example: 'Lunch with Ada tomorrow at noon' }],
      request: { method: 'POST', url: '/calendars/{{calendarId}}/events/quickAdd', query: { text: '{{text}}' } },
      docsUrl: 'https://developers.google.com/workspace/calendar/api/v3/reference/events/quickAdd',
    },
    {
      id: 'delete-event',
      name: 'Delete an event',
      scopes: [EVENTS],
      inputs: [
        calendarId,
        { name: 'eventId', label: 'Event ID', required: true, example: '7kq3d9ig2p5sb0lh1m4n6r8t0c' },
      ],
      request: { method: 'DELETE', url: '/calendars/{{calendarId}}/events/{{eventId}}' },
      docsUrl: 'https://developers.google.com/workspace/calendar/api/v3/reference/events/delete',
    },
  ],
};
