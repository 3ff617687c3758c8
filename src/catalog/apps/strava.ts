import type { AppInput } from '../schema.ts';

/**
 * Strava API v3. Scopes are separated by commas; access tokens last six hours
 * and a refresh may return a new refresh token. The token response also
 * carries a summary of the athlete.
 */
export const strava: AppInput = {
  id: 'strava',
  name: 'Strava',
  category: 'Health & fitness',
  docsUrl: 'https://developers.strava.com/docs/reference/',
  authDocsUrl: 'https://developers.strava.com/docs/authentication/',
  scopesDocsUrl: 'https://developers.strava.com/docs/authentication/#details-about-requesting-access',
  connections: [
    {
      type: 'oauth2',
      authorizeUrl: 'https://www.strava.com/oauth/authorize',
      tokenUrl: 'https://www.strava.com/oauth/token',
      scopeSeparator: ',',
      baseScopes: ['read'],
      // Always show the consent screen, so that reauthorizing with more scopes asks the athlete again.
      authorizeParameters: { approval_prompt: 'force' },
      baseUrl: 'https://www.strava.com/api/v3',
      verify: { url: '/athlete', accountId: ['id'], accountLabel: ['username', 'firstname'] },
    },
  ],
  scopes: [
    { name: 'read', description: 'See your public profile, segments, routes and clubs.' },
    { name: 'activity:read', description: 'See your activities that are visible to everyone or your followers.' },
    { name: 'activity:read_all', description: 'See all your activities, including private ones.' },
    { name: 'activity:write', description: 'Create activities and change yours.' },
  ],
  modules: [
    {
      id: 'list-activities',
      name: 'List my activities',
      scopes: ['activity:read'],
      inputs: [
        {
          name: 'after',
          label: 'After',
          type: 'number',
          help: 'Unix time: only activities that started after it.',
          example: 1735689600,
        },
        { name: 'before', label: 'Before', type: 'number', help: 'Unix time.', example: 1738368000 },
        { name: 'per_page', label: 'Maximum results', type: 'number', default: 30 },
      ],
      request: {
        url: '/athlete/activities',
        query: { after: '{{after}}', before: '{{before}}', per_page: '{{per_page}}' },
      },
      docsUrl: 'https://developers.strava.com/docs/reference/#api-Activities-getLoggedInAthleteActivities',
    },
    {
      id: 'get-activity',
      name: 'Get an activity',
      scopes: ['activity:read'],
      inputs: [{ name: 'activityId', label: 'Activity ID', required: true, example: '12345678987654321' }],
      request: { url: '/activities/{{activityId}}' },
      docsUrl: 'https://developers.strava.com/docs/reference/#api-Activities-getActivityById',
    },
    {
      id: 'create-activity',
      name: 'Create a manual activity',
      scopes: ['activity:write'],
      inputs: [
        { name: 'name', label: 'Name', required: true, example: 'Morning run' },
        {
          name: 'sport_type',
          label: 'Sport',
          required: true,
          default: 'Run',
          help: 'e.g. Run, Ride, Swim, Walk, Hike.',
        },
        {
          name: 'start_date_local',
          label: 'Start',
          required: true,
          help: 'ISO 8601, local time, e.g. 2025-01-31T07:30:00Z.',
          example: '2025-01-31T07:30:00Z',
        },
        { name: 'elapsed_time', label: 'Duration (seconds)', type: 'number', required: true, example: 1800 },
        { name: 'distance', label: 'Distance (meters)', type: 'number', example: 5000 },
        { name: 'description', label: 'Description', type: 'textarea', example: 'Easy pace along the river.' },
      ],
      request: {
        method: 'POST',
        url: '/activities',
        body: {
          name: '{{name}}',
          sport_type: '{{sport_type}}',
          start_date_local: '{{start_date_local}}',
          elapsed_time: '{{elapsed_time}}',
          distance: '{{distance}}',
          description: '{{description}}',
        },
      },
      docsUrl: 'https://developers.strava.com/docs/reference/#api-Activities-createActivity',
    },
    {
      id: 'get-athlete-stats',
      name: 'Get my totals',
      description: 'Totals of your runs, rides and swims: recent, this year and all time.',
      scopes: ['read'],
      inputs: [
        {
          name: 'athleteId',
          label: 'Athlete ID',
          required: true,
          help: 'Your own athlete ID (the connection’s account).',
          example: '134815',
        },
      ],
      request: { url: '/athletes/{{athleteId}}/stats' },
      docsUrl: 'https://developers.strava.com/docs/reference/#api-Athletes-getStats',
    },
  ],
};
