import type { AppInput } from '../schema.ts';

const GRAPH = 'https://graph.facebook.com/v23.0';

/**
 * Facebook Pages through the Graph API with Facebook Login. The user access
 * token comes with `expires_in` and no refresh token: when it runs out the
 * person reconnects. Publishing to a Page needs a Page access token, which a
 * connection does not hold, so no module posts.
 */
export const facebookPages: AppInput = {
  id: 'facebook-pages',
  name: 'Facebook Pages',
  category: 'Social media',
  docsUrl: 'https://developers.facebook.com/docs/facebook-login/guides/advanced/manual-flow',
  authDocsUrl: 'https://developers.facebook.com/docs/facebook-login/guides/advanced/manual-flow',
  connections: [
    {
      type: 'oauth2',
      authorizeUrl: 'https://www.facebook.com/v23.0/dialog/oauth',
      tokenUrl: `${GRAPH}/oauth/access_token`,
      scopeSeparator: ',',
      pkce: false,
      baseUrl: GRAPH,
      verify: { url: '/me?fields=id,name', accountId: ['id'], accountLabel: ['name'] },
    },
  ],
  scopesDocsUrl: 'https://developers.facebook.com/docs/permissions',
  scopes: [
    { name: 'pages_show_list', description: 'See the list of Pages you manage.' },
    { name: 'pages_read_engagement', description: 'Read your Pages’ content, followers and engagement.' },
  ],
  modules: [
    {
      id: 'list-pages',
      name: 'List my Pages',
      scopes: ['pages_show_list'],
      // Fields listed so that the Pages' own access tokens are not copied into scenario data.
      request: { method: 'GET', url: '/me/accounts', query: { fields: 'id,name,category,tasks' }, output: 'data' },
      docsUrl: 'https://developers.facebook.com/docs/graph-api/reference/user/accounts/',
    },
    {
      id: 'get-page',
      name: 'Get a Page',
      scopes: ['pages_show_list', 'pages_read_engagement'],
      inputs: [
        { name: 'pageId', label: 'Page ID', required: true, example: '104563218765432' },
        { name: 'fields', label: 'Fields', default: 'id,name,about,category,fan_count,followers_count,link' },
      ],
      request: { method: 'GET', url: '/{{pageId}}', query: { fields: '{{fields}}' } },
      docsUrl: 'https://developers.facebook.com/docs/graph-api/reference/page/',
    },
  ],
};
