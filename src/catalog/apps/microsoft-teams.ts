import type { AppInput } from '../schema.ts';
import type { ModuleInput } from './types.ts';
import {
  MICROSOFT_AUTH_DOCS,
  MICROSOFT_SCOPES_DOCS,
  microsoftBaseScopes,
  microsoftConnection,
} from './microsoft-oauth.ts';

const teamId: ModuleInput = {
  name: 'teamId',
  label: 'Team ID',
  required: true,
  example: 'fbe2bf47-16c8-47cf-b4a5-4b9b187c508b',
};

/** Microsoft Teams through Microsoft Graph. Teams needs a work or school account. */
export const microsoftTeams: AppInput = {
  id: 'microsoft-teams',
  name: 'Microsoft Teams',
  category: 'Communication',
  docsUrl: 'https://learn.microsoft.com/en-us/graph/teams-concept-overview',
  authDocsUrl: MICROSOFT_AUTH_DOCS,
  scopesDocsUrl: MICROSOFT_SCOPES_DOCS,
  connections: [microsoftConnection()],
  scopes: [
    ...microsoftBaseScopes,
    { name: 'Team.ReadBasic.All', description: 'Read the names and descriptions of the teams you belong to.' },
    { name: 'Channel.ReadBasic.All', description: 'Read the names and descriptions of channels.' },
    { name: 'ChannelMessage.Send', description: 'Send messages to channels as you.' },
    { name: 'Chat.ReadBasic', description: 'Read the names and members of your chats, not their messages.' },
    { name: 'ChatMessage.Send', description: 'Send messages in your chats as you.' },
  ],
  modules: [
    {
      id: 'list-my-teams',
      name: 'List my teams',
      scopes: ['Team.ReadBasic.All'],
      request: { url: '/me/joinedTeams', output: 'value' },
      docsUrl: 'https://learn.microsoft.com/en-us/graph/api/user-list-joinedteams',
    },
    {
      id: 'list-channels',
      name: 'List channels of a team',
      scopes: ['Channel.ReadBasic.All'],
      inputs: [teamId],
      request: { url: '/teams/{{teamId}}/channels', output: 'value' },
      docsUrl: 'https://learn.microsoft.com/en-us/graph/api/channel-list',
    },
    {
      id: 'send-channel-message',
      name: 'Send a message to a channel',
      scopes: ['ChannelMessage.Send'],
      inputs: [
        teamId,
        {
          name: 'channelId',
          label: 'Channel ID',
          required: true,
          example: '19:4a95f7d8db4c4e7fae857bcebe0623e6@thread.tacv2',
        },
        {
          name: 'contentType',
          label: 'Content type',
          type: 'select',
          default: 'html',
          options: [
            { value: 'html', label: 'HTML' },
            { value: 'text', label: 'Plain text' },
          ],
        },
        {
          name: 'content',
          label: 'Message',
          type: 'textarea',
          required: true,
          example: 'The <b>release notes</b> are ready for review.',
        },
      ],
      request: {
        method: 'POST',
        url: '/teams/{{teamId}}/channels/{{channelId}}/messages',
        body: { body: { contentType: '{{contentType}}', content: '{{content}}' } },
      },
      docsUrl: 'https://learn.microsoft.com/en-us/graph/api/channel-post-messages',
    },
    {
      id: 'list-chats',
      name: 'List my chats',
      scopes: ['Chat.ReadBasic'],
      request: { url: '/me/chats', output: 'value' },
      docsUrl: 'https://learn.microsoft.com/en-us/graph/api/chat-list',
    },
    {
      id: 'send-chat-message',
      name: 'Send a message to a chat',
      scopes: ['ChatMessage.Send'],
      inputs: [
        { name: 'chatId', label: 'Chat ID', required: true, example: '19:2da4c29f6d7041eca70b638b43d45437@thread.v2' },
        {
          name: 'contentType',
          label: 'Content type',
          type: 'select',
          default: 'html',
          options: [
            { value: 'html', label: 'HTML' },
            { value: 'text', label: 'Plain text' },
          ],
        },
        { name: 'content', label: 'Message', type: 'textarea', required: true, example: 'Are we still on for 3 pm?' },
      ],
      request: {
        method: 'POST',
        url: '/chats/{{chatId}}/messages',
        body: { body: { contentType: '{{contentType}}', content: '{{content}}' } },
      },
      docsUrl: 'https://learn.microsoft.com/en-us/graph/api/chat-post-messages',
    },
  ],
};
