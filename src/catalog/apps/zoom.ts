import type { AppInput } from '../schema.ts';
import type { ModuleInput } from './types.ts';

const meetingId: ModuleInput = { name: 'meetingId', label: 'Meeting ID', required: true, example: '85746065432' };

/**
 * Zoom API v2 through a general (user-managed) OAuth app. The token endpoint
 * wants the client ID and secret with HTTP Basic; access tokens last an hour
 * and each refresh returns a new refresh token. The app's granular scopes are
 * chosen in the Zoom App Marketplace.
 */
export const zoom: AppInput = {
  id: 'zoom',
  name: 'Zoom',
  category: 'Communication',
  docsUrl: 'https://developers.zoom.us/docs/api/',
  authDocsUrl: 'https://developers.zoom.us/docs/integrations/oauth/',
  scopesDocsUrl: 'https://developers.zoom.us/docs/integrations/oauth-scopes-granular/',
  connections: [
    {
      type: 'oauth2',
      authorizeUrl: 'https://zoom.us/oauth/authorize',
      tokenUrl: 'https://zoom.us/oauth/token',
      revokeUrl: 'https://zoom.us/oauth/revoke',
      scopeSeparator: ' ',
      baseScopes: ['user:read:user'],
      clientAuth: 'client_secret_basic',
      baseUrl: 'https://api.zoom.us/v2',
      verify: { url: '/users/me', accountId: ['id'], accountLabel: ['email', 'display_name'] },
    },
  ],
  scopes: [
    { name: 'user:read:user', description: 'See your Zoom profile.' },
    { name: 'meeting:read:list_meetings', description: 'See the list of your meetings.' },
    { name: 'meeting:read:meeting', description: 'See the details of a meeting.' },
    { name: 'meeting:write:meeting', description: 'Schedule meetings for you.' },
    { name: 'meeting:delete:meeting', description: 'Delete your meetings.' },
  ],
  modules: [
    {
      id: 'list-meetings',
      name: 'List my meetings',
      scopes: ['meeting:read:list_meetings'],
      inputs: [
        {
          name: 'type',
          label: 'Which',
          type: 'select',
          default: 'upcoming',
          options: [
            { value: 'scheduled', label: 'Scheduled' },
            { value: 'live', label: 'Live' },
            { value: 'upcoming', label: 'Upcoming' },
            { value: 'previous_meetings', label: 'Previous' },
          ],
        },
        { name: 'page_size', label: 'Maximum results', type: 'number', default: 30 },
      ],
      request: {
        url: '/users/me/meetings',
        query: { type: '{{type}}', page_size: '{{page_size}}' },
        output: 'meetings',
      },
      docsUrl: 'https://developers.zoom.us/docs/api/meetings/#tag/meetings/GET/users/{userId}/meetings',
    },
    {
      id: 'get-meeting',
      name: 'Get a meeting',
      scopes: ['meeting:read:meeting'],
      inputs: [meetingId],
      request: { url: '/meetings/{{meetingId}}' },
      docsUrl: 'https://developers.zoom.us/docs/api/meetings/#tag/meetings/GET/meetings/{meetingId}',
    },
    {
      id: 'create-meeting',
      name: 'Create a meeting',
      scopes: ['meeting:write:meeting'],
      inputs: [
        { name: 'topic', label: 'Topic', required: true, example: 'Weekly sync' },
        {
          name: 'start_time',
          label: 'Start',
          required: true,
          help: 'yyyy-MM-ddTHH:mm:ssZ in UTC, or without Z in the time zone below.',
          example: '2025-03-03T15:00:00',
        },
        { name: 'duration', label: 'Duration (minutes)', type: 'number', default: 30 },
        { name: 'timezone', label: 'Time zone', help: 'e.g. Europe/Paris.', example: 'Europe/Paris' },
        { name: 'agenda', label: 'Description', type: 'textarea', example: 'Roadmap review and open questions.' },
      ],
      request: {
        method: 'POST',
        url: '/users/me/meetings',
        // type 2 is a scheduled meeting.
        body: {
          topic: '{{topic}}',
          type: 2,
          start_time: '{{start_time}}',
          duration: '{{duration}}',
          timezone: '{{timezone}}',
          agenda: '{{agenda}}',
        },
      },
      docsUrl: 'https://developers.zoom.us/docs/api/meetings/#tag/meetings/POST/users/{userId}/meetings',
    },
    {
      id: 'delete-meeting',
      name: 'Delete a meeting',
      scopes: ['meeting:delete:meeting'],
      inputs: [meetingId],
      request: { method: 'DELETE', url: '/meetings/{{meetingId}}' },
      docsUrl: 'https://developers.zoom.us/docs/api/meetings/#tag/meetings/DELETE/meetings/{meetingId}',
    },
  ],
};
