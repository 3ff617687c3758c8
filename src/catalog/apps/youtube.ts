import type { AppInput } from '../schema.ts';

const SCOPE = 'https://www.googleapis.com/auth/';

/**
 * YouTube Data API v3 through Google's OAuth 2.0. Google returns a refresh
 * token only with `access_type=offline`, and again on a later consent only
 * with `prompt=consent`.
 */
export const youtube: AppInput = {
  id: 'youtube',
  name: 'YouTube',
  category: 'Video',
  docsUrl: 'https://developers.google.com/youtube/v3/guides/auth/server-side-web-apps',
  authDocsUrl: 'https://developers.google.com/youtube/v3/guides/auth/server-side-web-apps',
  connections: [
    {
      type: 'oauth2',
      authorizeUrl: 'https://accounts.google.com/o/oauth2/v2/auth',
      tokenUrl: 'https://oauth2.googleapis.com/token',
      revokeUrl: 'https://oauth2.googleapis.com/revoke',
      baseScopes: [`${SCOPE}youtube.readonly`],
      authorizeParameters: { access_type: 'offline', prompt: 'consent', include_granted_scopes: 'true' },
      baseUrl: 'https://www.googleapis.com/youtube/v3',
      verify: {
        url: '/channels?part=snippet&mine=true',
        accountId: ['items.0.id'],
        accountLabel: ['items.0.snippet.title'],
      },
    },
  ],
  scopesDocsUrl: 'https://developers.google.com/youtube/v3/guides/auth/server-side-web-apps#identify-access-scopes',
  scopes: [
    { name: `${SCOPE}youtube.readonly`, description: 'See your YouTube account, channels, playlists and videos.' },
    {
      name: `${SCOPE}youtube`,
      description: 'Manage your YouTube account: playlists, subscriptions and video details.',
    },
    {
      name: `${SCOPE}youtube.force-ssl`,
      description: 'See, edit and delete your YouTube videos, ratings and comments.',
    },
  ],
  modules: [
    {
      id: 'list-my-videos',
      name: 'List my videos',
      scopes: [`${SCOPE}youtube.readonly`],
      inputs: [{ name: 'maxResults', label: 'How many', type: 'number', default: 25, help: 'Up to 50.' }],
      request: {
        method: 'GET',
        url: '/search',
        query: { part: 'snippet', forMine: 'true', type: 'video', order: 'date', maxResults: '{{maxResults}}' },
        output: 'items',
      },
      docsUrl: 'https://developers.google.com/youtube/v3/docs/search/list',
    },
    {
      id: 'get-video',
      name: 'Get a video',
      scopes: [`${SCOPE}youtube.readonly`],
      inputs: [{ name: 'id', label: 'Video ID', required: true, example: 'M7lc1UVf-VE' }],
      request: {
        method: 'GET',
        url: '/videos',
        query: { part: 'snippet,contentDetails,statistics,status', id: '{{id}}' },
        output: 'items.0',
      },
      docsUrl: 'https://developers.google.com/youtube/v3/docs/videos/list',
    },
    {
      id: 'add-to-playlist',
      name: 'Add a video to a playlist',
      scopes: [`${SCOPE}youtube`],
      inputs: [
        { name: 'playlistId', label: 'Playlist ID', required: true, example: 'PLh4YBlS0oZr3t0sWGqN8mX6ZcJ7a1KdQe' },
        { name: 'videoId', label: 'Video ID', required: true, example: 'M7lc1UVf-VE' },
      ],
      request: {
        method: 'POST',
        url: '/playlistItems',
        query: { part: 'snippet' },
        body: {
          snippet: { playlistId: '{{playlistId}}', resourceId: { kind: 'youtube#video', videoId: '{{videoId}}' } },
        },
      },
      docsUrl: 'https://developers.google.com/youtube/v3/docs/playlistItems/insert',
    },
    {
      id: 'comment-on-video',
      name: 'Comment on a video',
      scopes: [`${SCOPE}youtube.force-ssl`],
      inputs: [
        { name: 'videoId', label: 'Video ID', required: true, example: 'M7lc1UVf-VE' },
        { name: 'text', label: 'Comment', type: 'textarea', required: true, example: 'Great walkthrough, thank you!' },
      ],
      request: {
        method: 'POST',
        url: '/commentThreads',
        query: { part: 'snippet' },
        body: { snippet: { videoId: '{{videoId}}', topLevelComment: { snippet: { textOriginal: '{{text}}' } } } },
      },
      docsUrl: 'https://developers.google.com/youtube/v3/docs/commentThreads/insert',
    },
  ],
};
