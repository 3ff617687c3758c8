import type { AppInput } from '../schema.ts';
import type { ModuleInput } from './types.ts';

const channel: ModuleInput = {
  name: 'channel',
  label: 'Channel ID',
  required: true,
  help: 'e.g. C0123456789; a user ID sends a direct message.',
  example: 'C0123456789',
};

/**
 * Slack Web API with a user token: Hitch acts as the person who connected.
 * Slack's OAuth v2 returns the user token under `authed_user` (the top-level
 * token is the bot's), and takes scopes separated by commas. Slack answers
 * errors with HTTP 200 and `{"ok": false, "error": …}`.
 */
export const slack: AppInput = {
  id: 'slack',
  name: 'Slack',
  category: 'Communication',
  docsUrl: 'https://docs.slack.dev/reference/methods',
  authDocsUrl: 'https://docs.slack.dev/authentication/installing-with-oauth',
  scopesDocsUrl: 'https://docs.slack.dev/reference/scopes',
  connections: [
    {
      type: 'oauth2',
      authorizeUrl: 'https://slack.com/oauth/v2/authorize',
      tokenUrl: 'https://slack.com/api/oauth.v2.access',
      revokeUrl: 'https://slack.com/api/auth.revoke',
      scopeSeparator: ',',
      // User tokens (under authed_user) are granted only for scopes sent as user_scope.
      scopeParameter: 'user_scope',
      pkce: false,
      // Slack asks that the client ID and secret be sent with HTTP Basic rather than as parameters.
      clientAuth: 'client_secret_basic',
      tokenPath: 'authed_user',
      baseUrl: 'https://slack.com/api',
      verify: { url: '/auth.test', accountId: ['user_id'], accountLabel: ['user', 'user_id'], successField: 'ok' },
    },
  ],
  scopes: [
    { name: 'chat:write', description: 'Send messages as you.' },
    { name: 'channels:read', description: 'See basic information about public channels in your workspace.' },
    { name: 'groups:read', description: 'See basic information about private channels you are in.' },
    { name: 'channels:history', description: 'View messages in public channels you are in.' },
    { name: 'users:read', description: 'See the people in your workspace.' },
    { name: 'reactions:write', description: 'Add and remove emoji reactions as you.' },
    { name: 'search:read', description: 'Search your workspace’s content.' },
  ],
  modules: [
    {
      id: 'post-message',
      name: 'Send a message',
      scopes: ['chat:write'],
      inputs: [
        channel,
        {
          name: 'text',
          label: 'Text',
          type: 'textarea',
          required: true,
          help: 'Slack mrkdwn formatting is allowed.',
          example: 'Deploy finished: *v2.4.0* is live :tada:',
        },
        {
          name: 'thread_ts',
          label: 'Reply in thread',
          help: 'The `ts` of the parent message.',
          example: '1503435956.000247',
        },
      ],
      request: {
        method: 'POST',
        url: '/chat.postMessage',
        body: { channel: '{{channel}}', text: '{{text}}', thread_ts: '{{thread_ts}}' },
      },
      docsUrl: 'https://docs.slack.dev/reference/methods/chat.postMessage',
    },
    {
      id: 'list-channels',
      name: 'List channels',
      scopes: ['channels:read', 'groups:read'],
      inputs: [
        {
          name: 'types',
          label: 'Types',
          default: 'public_channel,private_channel',
          help: 'Comma-separated: public_channel, private_channel, mpim, im.',
        },
        { name: 'exclude_archived', label: 'Leave out archived channels', type: 'boolean', default: true },
        { name: 'limit', label: 'Maximum results', type: 'number', default: 200 },
      ],
      request: {
        url: '/conversations.list',
        query: { types: '{{types}}', exclude_archived: '{{exclude_archived}}', limit: '{{limit}}' },
        output: 'channels',
      },
      docsUrl: 'https://docs.slack.dev/reference/methods/conversations.list',
    },
    {
      id: 'get-channel-history',
      name: 'Get messages of a channel',
      scopes: ['channels:history'],
      inputs: [
        channel,
        { name: 'oldest', label: 'After', help: 'A Unix timestamp: only messages after it.', example: '1735689600' },
        { name: 'limit', label: 'Maximum results', type: 'number', default: 100 },
      ],
      request: {
        url: '/conversations.history',
        query: { channel: '{{channel}}', oldest: '{{oldest}}', limit: '{{limit}}' },
        output: 'messages',
      },
      docsUrl: 'https://docs.slack.dev/reference/methods/conversations.history',
    },
    {
      id: 'list-users',
      name: 'List users',
      scopes: ['users:read'],
      inputs: [{ name: 'limit', label: 'Maximum results', type: 'number', default: 200 }],
      request: { url: '/users.list', query: { limit: '{{limit}}' }, output: 'members' },
      docsUrl: 'https://docs.slack.dev/reference/methods/users.list',
    },
    {
      id: 'add-reaction',
      name: 'Add a reaction',
      scopes: ['reactions:write'],
      inputs: [
        channel,
        {
          name: 'timestamp',
          label: 'Message timestamp',
          required: true,
          help: 'The `ts` of the message.',
          example: '1503435956.000247',
        },
        {
          name: 'name',
          label: 'Emoji name',
          required: true,
          help: 'Without colons, e.g. thumbsup.',
          example: 'thumbsup',
        },
      ],
      request: {
        method: 'POST',
        url: '/reactions.add',
        body: { channel: '{{channel}}', timestamp: '{{timestamp}}', name: '{{name}}' },
      },
      docsUrl: 'https://docs.slack.dev/reference/methods/reactions.add',
    },
    {
      id: 'search-messages',
      name: 'Search messages',
      scopes: ['search:read'],
      inputs: [
        {
          name: 'query',
          label: 'Query',
          required: true,
          help: 'Slack search syntax, e.g. `invoice in:#billing`.',
          example: 'invoice in:#billing',
        },
        { name: 'count', label: 'Maximum results', type: 'number', default: 20 },
      ],
      request: {
        url: '/search.messages',
        query: { query: '{{query}}', count: '{{count}}' },
        output: 'messages.matches',
      },
      docsUrl: 'https://docs.slack.dev/reference/methods/search.messages',
    },
  ],
};
