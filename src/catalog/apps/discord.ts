import type { AppInput } from '../schema.ts';

/**
 * Discord API v10. Two ways in: a bot token (the bot acts in the servers it
 * was added to; sending messages needs one) or OAuth 2.0 for a person's own
 * account (who they are, which servers they are in).
 */
export const discord: AppInput = {
  id: 'discord',
  name: 'Discord',
  category: 'Communication',
  docsUrl: 'https://discord.com/developers/docs/reference',
  authDocsUrl: 'https://discord.com/developers/docs/topics/oauth2',
  scopesDocsUrl: 'https://discord.com/developers/docs/topics/oauth2#shared-resources-oauth2-scopes',
  connections: [
    {
      type: 'apiKey',
      // Bot tokens go in the Authorization header after the word "Bot".
      keys: [{ parameter: 'botToken', in: 'header', name: 'Authorization', prefix: 'Bot' }],
      baseUrl: 'https://discord.com/api/v10',
      verify: { url: '/users/@me', accountId: ['id'], accountLabel: ['username'] },
      parameters: [
        {
          name: 'botToken',
          label: 'Bot token',
          type: 'password',
          required: true,
          secret: true,
          help: 'From your application’s Bot page in the Discord Developer Portal.',
        },
      ],
    },
    {
      type: 'oauth2',
      authorizeUrl: 'https://discord.com/oauth2/authorize',
      tokenUrl: 'https://discord.com/api/oauth2/token',
      revokeUrl: 'https://discord.com/api/oauth2/token/revoke',
      scopeSeparator: ' ',
      baseScopes: ['identify'],
      baseUrl: 'https://discord.com/api/v10',
      verify: { url: '/users/@me', accountId: ['id'], accountLabel: ['username'] },
    },
  ],
  scopes: [
    { name: 'identify', description: 'See your username, avatar and banner (not your email).' },
    { name: 'email', description: 'See your email address.' },
    { name: 'guilds', description: 'See the servers you are in.' },
    {
      name: 'guilds.members.read',
      description: 'See your member information (nickname, roles) in the servers you are in.',
    },
  ],
  modules: [
    {
      id: 'send-message',
      name: 'Send a message to a channel',
      description: 'Needs a bot connection, with the bot added to the server and allowed to post in the channel.',
      inputs: [
        { name: 'channelId', label: 'Channel ID', required: true, example: '1098226532911611924' },
        {
          name: 'content',
          label: 'Message',
          type: 'textarea',
          required: true,
          help: 'Up to 2,000 characters; Discord markdown is allowed.',
          example: 'Deploy finished: **v2.4.0** is live.',
        },
      ],
      request: { method: 'POST', url: '/channels/{{channelId}}/messages', body: { content: '{{content}}' } },
      docsUrl: 'https://discord.com/developers/docs/resources/message#create-message',
    },
    {
      id: 'list-guild-channels',
      name: 'List channels of a server',
      description: 'Needs a bot connection, with the bot added to the server.',
      inputs: [{ name: 'guildId', label: 'Server ID', required: true, example: '613425648685547541' }],
      request: { url: '/guilds/{{guildId}}/channels' },
      docsUrl: 'https://discord.com/developers/docs/resources/guild#get-guild-channels',
    },
    {
      id: 'list-my-guilds',
      name: 'List my servers',
      scopes: ['guilds'],
      request: { url: '/users/@me/guilds' },
      docsUrl: 'https://discord.com/developers/docs/resources/user#get-current-user-guilds',
    },
    {
      id: 'get-my-member',
      name: 'Get my membership in a server',
      scopes: ['guilds.members.read'],
      inputs: [{ name: 'guildId', label: 'Server ID', required: true, example: '613425648685547541' }],
      request: { url: '/users/@me/guilds/{{guildId}}/member' },
      docsUrl: 'https://discord.com/developers/docs/resources/user#get-current-user-guild-member',
    },
  ],
};
