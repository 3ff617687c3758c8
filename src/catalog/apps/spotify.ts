import type { AppInput } from '../schema.ts';

/**
 * Spotify Web API. The token endpoint wants the client ID and secret with HTTP
 * Basic; access tokens last an hour. Since February 2026 playlist items live
 * under /items and new playlists are created for the current user (/me).
 */
export const spotify: AppInput = {
  id: 'spotify',
  name: 'Spotify',
  category: 'Entertainment',
  docsUrl: 'https://developer.spotify.com/documentation/web-api',
  authDocsUrl: 'https://developer.spotify.com/documentation/web-api/tutorials/code-flow',
  scopesDocsUrl: 'https://developer.spotify.com/documentation/web-api/concepts/scopes',
  connections: [
    {
      type: 'oauth2',
      authorizeUrl: 'https://accounts.spotify.com/authorize',
      tokenUrl: 'https://accounts.spotify.com/api/token',
      scopeSeparator: ' ',
      baseScopes: ['user-read-email'],
      clientAuth: 'client_secret_basic',
      baseUrl: 'https://api.spotify.com/v1',
      verify: { url: '/me', accountId: ['id'], accountLabel: ['email', 'display_name'] },
    },
  ],
  scopes: [
    { name: 'user-read-email', description: 'See your email address.' },
    { name: 'playlist-read-private', description: 'See your private playlists.' },
    { name: 'playlist-modify-public', description: 'Create and change your public playlists.' },
    { name: 'playlist-modify-private', description: 'Create and change your private playlists.' },
    { name: 'user-read-recently-played', description: 'See what you played recently.' },
  ],
  modules: [
    {
      id: 'search',
      name: 'Search the catalog',
      description: 'Finds tracks, albums, artists or playlists; needs no scope.',
      inputs: [
        {
          name: 'q',
          label: 'Query',
          required: true,
          help: 'Filters are allowed, e.g. `artist:Miles Davis year:1959`.',
          example: 'artist:Miles Davis year:1959',
        },
        {
          name: 'type',
          label: 'Types',
          required: true,
          default: 'track',
          help: 'Comma-separated: album, artist, playlist, track, show, episode.',
        },
        { name: 'limit', label: 'Maximum results', type: 'number', default: 10 },
      ],
      request: { url: '/search', query: { q: '{{q}}', type: '{{type}}', limit: '{{limit}}' } },
      docsUrl: 'https://developer.spotify.com/documentation/web-api/reference/search',
    },
    {
      id: 'list-my-playlists',
      name: 'List my playlists',
      scopes: ['playlist-read-private'],
      inputs: [{ name: 'limit', label: 'Maximum results', type: 'number', default: 50 }],
      request: { url: '/me/playlists', query: { limit: '{{limit}}' }, output: 'items' },
      docsUrl: 'https://developer.spotify.com/documentation/web-api/reference/get-a-list-of-current-users-playlists',
    },
    {
      id: 'create-playlist',
      name: 'Create a playlist',
      scopes: ['playlist-modify-public', 'playlist-modify-private'],
      inputs: [
        { name: 'name', label: 'Name', required: true, example: 'Road trip' },
        { name: 'description', label: 'Description', example: 'Songs for the drive north' },
        { name: 'public', label: 'Public', type: 'boolean', default: false },
      ],
      request: {
        method: 'POST',
        url: '/me/playlists',
        body: { name: '{{name}}', description: '{{description}}', public: '{{public}}' },
      },
      docsUrl: 'https://developer.spotify.com/documentation/web-api/tutorials/february-2026-migration-guide',
    },
    {
      id: 'add-to-playlist',
      name: 'Add items to a playlist',
      scopes: ['playlist-modify-public', 'playlist-modify-private'],
      inputs: [
        { name: 'playlistId', label: 'Playlist ID', required: true, example: '3cEYpjA9oz9GiPac4AsH4n' },
        {
          name: 'uris',
          label: 'Spotify URIs',
          type: 'list',
          required: true,
          help: 'e.g. spotify:track:4iV5W9uYEdYUVa79Axb7Rh',
          example: ['spotify:track:4iV5W9uYEdYUVa79Axb7Rh', 'spotify:track:1301WleyT98MSxVHPZCA6M'],
        },
      ],
      request: { method: 'POST', url: '/playlists/{{playlistId}}/items', body: { uris: '{{uris}}' } },
      docsUrl: 'https://developer.spotify.com/documentation/web-api/tutorials/february-2026-migration-guide',
    },
    {
      id: 'recently-played',
      name: 'Get recently played tracks',
      scopes: ['user-read-recently-played'],
      inputs: [{ name: 'limit', label: 'Maximum results', type: 'number', default: 20 }],
      request: { url: '/me/player/recently-played', query: { limit: '{{limit}}' }, output: 'items' },
      docsUrl: 'https://developer.spotify.com/documentation/web-api/reference/get-recently-played',
    },
  ],
};
