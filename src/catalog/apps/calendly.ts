import type { AppInput } from '../schema.ts';
import type { ModuleInput } from './types.ts';

const eventUuid: ModuleInput = {
  name: 'eventUuid',
  label: 'Event UUID',
  required: true,
  help: 'The last part of the event’s URI.',
  example: 'GBGBDCAADAEDCRZ2',
};
const userUri: ModuleInput = {
  name: 'user',
  label: 'User URI',
  required: true,
  help: 'e.g. https://api.calendly.com/users/AAAA…; the connection’s account is shown on the connection.',
  example: 'https://api.calendly.com/users/AAAAAAAAAAAAAAAA',
};

/**
 * Calendly API v2. Access tokens last two hours; each refresh token works once.
 * The token response names the user (`owner`) and the organization, kept with
 * the connection. Apps created since March 2026 get only the scopes they ask for.
 */
export const calendly: AppInput = {
  id: 'calendly',
  name: 'Calendly',
  category: 'Productivity',
  docsUrl: 'https://developer.calendly.com/api-docs',
  authDocsUrl: 'https://developer.calendly.com/docs/getting-started',
  scopesDocsUrl: 'https://developer.calendly.com/docs/authentication/scopes',
  connections: [
    {
      type: 'oauth2',
      authorizeUrl: 'https://auth.calendly.com/oauth/authorize',
      tokenUrl: 'https://auth.calendly.com/oauth/token',
      revokeUrl: 'https://auth.calendly.com/oauth/revoke',
      scopeSeparator: ' ',
      baseScopes: ['users:read'],
      keepFromTokenResponse: ['owner', 'organization'],
      baseUrl: 'https://api.calendly.com',
      verify: { url: '/users/me', accountId: ['resource.uri'], accountLabel: ['resource.email', 'resource.name'] },
    },
    {
      type: 'apiKey',
      keys: [{ parameter: 'token', in: 'header', name: 'Authorization', prefix: 'Bearer' }],
      baseUrl: 'https://api.calendly.com',
      verify: { url: '/users/me', accountId: ['resource.uri'], accountLabel: ['resource.email', 'resource.name'] },
      parameters: [
        {
          name: 'token',
          label: 'Personal access token',
          type: 'password',
          required: true,
          secret: true,
          help: 'Integrations → API & Webhooks; choose its scopes there.',
        },
      ],
    },
  ],
  scopes: [
    { name: 'users:read', description: 'See user information, including your own.' },
    { name: 'event_types:read', description: 'See your event types and their available times.' },
    { name: 'scheduled_events:read', description: 'See scheduled events and their invitees.' },
    { name: 'scheduled_events:write', description: 'Cancel events, add invitees and mark invitees as no-shows.' },
    { name: 'scheduling_links:write', description: 'Create single-use scheduling links for your event types.' },
  ],
  modules: [
    {
      id: 'list-event-types',
      name: 'List event types',
      scopes: ['event_types:read'],
      inputs: [userUri, { name: 'active', label: 'Active only', type: 'boolean', default: true }],
      request: { url: '/event_types', query: { user: '{{user}}', active: '{{active}}' }, output: 'collection' },
    },
    {
      id: 'list-scheduled-events',
      name: 'List scheduled events',
      scopes: ['scheduled_events:read'],
      inputs: [
        userUri,
        {
          name: 'status',
          label: 'Status',
          type: 'select',
          default: 'active',
          options: [
            { value: 'active', label: 'Active' },
            { value: 'canceled', label: 'Canceled' },
          ],
        },
        {
          name: 'min_start_time',
          label: 'Starting after',
          help: 'ISO 8601 date-time in UTC.',
          example: '2025-07-01T00:00:00.000000Z',
        },
        {
          name: 'max_start_time',
          label: 'Starting before',
          help: 'ISO 8601 date-time in UTC.',
          example: '2025-07-31T23:59:59.000000Z',
        },
      ],
      request: {
        url: '/scheduled_events',
        query: {
          user: '{{user}}',
          status: '{{status}}',
          min_start_time: '{{min_start_time}}',
          max_start_time: '{{max_start_time}}',
        },
        output: 'collection',
      },
    },
    {
      id: 'list-invitees',
      name: 'List invitees of an event',
      scopes: ['scheduled_events:read'],
      inputs: [eventUuid],
      request: { url: '/scheduled_events/{{eventUuid}}/invitees', output: 'collection' },
    },
    {
      id: 'cancel-event',
      name: 'Cancel an event',
      scopes: ['scheduled_events:write'],
      inputs: [eventUuid, { name: 'reason', label: 'Reason', example: 'The host is unavailable that day.' }],
      request: {
        method: 'POST',
        url: '/scheduled_events/{{eventUuid}}/cancellation',
        body: { reason: '{{reason}}' },
        output: 'resource',
      },
    },
    {
      id: 'create-scheduling-link',
      name: 'Create a single-use scheduling link',
      scopes: ['scheduling_links:write'],
      inputs: [
        {
          name: 'eventType',
          label: 'Event type URI',
          required: true,
          example: 'https://api.calendly.com/event_types/AAAAAAAAAAAAAAAA',
        },
      ],
      request: {
        method: 'POST',
        url: '/scheduling_links',
        body: { max_event_count: 1, owner: '{{eventType}}', owner_type: 'EventType' },
        output: 'resource',
      },
    },
  ],
};
