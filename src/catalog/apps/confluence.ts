import type { AppInput } from '../schema.ts';
import { atlassianBaseScopes, atlassianConnection } from './atlassian-oauth.ts';

/**
 * Confluence Cloud on one Atlassian site: the v2 REST API (granular scopes)
 * for spaces and pages, the v1 API (classic scope) for CQL search.
 */
export const confluence: AppInput = {
  id: 'confluence',
  name: 'Confluence',
  category: 'Productivity',
  docsUrl: 'https://developer.atlassian.com/cloud/confluence/rest/v2/intro/',
  authDocsUrl: 'https://developer.atlassian.com/cloud/confluence/oauth-2-3lo-apps/',
  scopesDocsUrl: 'https://developer.atlassian.com/cloud/confluence/scopes-for-oauth-2-3LO-and-forge-apps/',
  connections: [atlassianConnection('confluence')],
  scopes: [
    ...atlassianBaseScopes,
    { name: 'read:space:confluence', description: 'See the spaces you can see in Confluence.' },
    { name: 'read:page:confluence', description: 'Read the pages you can see in Confluence.' },
    { name: 'write:page:confluence', description: 'Create and edit pages in Confluence.' },
    { name: 'search:confluence', description: 'Search the Confluence content you can see.' },
  ],
  modules: [
    {
      id: 'list-spaces',
      name: 'List spaces',
      scopes: ['read:space:confluence'],
      inputs: [
        { name: 'keys', label: 'Space keys', help: 'Comma-separated, to list only these spaces.', example: 'ENG,DOCS' },
        { name: 'limit', label: 'Maximum results', type: 'number', default: 25 },
      ],
      request: { url: '/wiki/api/v2/spaces', query: { keys: '{{keys}}', limit: '{{limit}}' }, output: 'results' },
      docsUrl: 'https://developer.atlassian.com/cloud/confluence/rest/v2/api-group-space/#api-spaces-get',
    },
    {
      id: 'get-page',
      name: 'Get a page',
      scopes: ['read:page:confluence'],
      inputs: [{ name: 'pageId', label: 'Page ID', required: true, example: '1966081' }],
      request: { url: '/wiki/api/v2/pages/{{pageId}}', query: { 'body-format': 'storage' } },
      docsUrl: 'https://developer.atlassian.com/cloud/confluence/rest/v2/api-group-page/#api-pages-id-get',
    },
    {
      id: 'create-page',
      name: 'Create a page',
      scopes: ['write:page:confluence'],
      inputs: [
        {
          name: 'spaceId',
          label: 'Space ID',
          required: true,
          help: 'The numeric ID from “List spaces”, not the key.',
          example: '65538',
        },
        { name: 'title', label: 'Title', required: true, example: 'Release notes 2.4' },
        {
          name: 'body',
          label: 'Content',
          type: 'textarea',
          required: true,
          help: 'Confluence storage format (XHTML), e.g. <p>Hello</p>.',
          example: '<h2>What changed</h2><p>Faster search and a new export button.</p>',
        },
        {
          name: 'parentId',
          label: 'Parent page ID',
          help: 'Empty to create it at the top of the space.',
          example: '1966081',
        },
      ],
      request: {
        method: 'POST',
        url: '/wiki/api/v2/pages',
        body: {
          spaceId: '{{spaceId}}',
          status: 'current',
          title: '{{title}}',
          parentId: '{{parentId}}',
          body: { representation: 'storage', value: '{{body}}' },
        },
      },
      docsUrl: 'https://developer.atlassian.com/cloud/confluence/rest/v2/api-group-page/#api-pages-post',
    },
    {
      id: 'search-content',
      name: 'Search with CQL',
      scopes: ['search:confluence'],
      inputs: [
        {
          name: 'cql',
          label: 'CQL',
          required: true,
          help: 'e.g. `type = page AND text ~ "roadmap"`.',
          example: 'type = page AND text ~ "roadmap"',
        },
        { name: 'limit', label: 'Maximum results', type: 'number', default: 25 },
      ],
      request: { url: '/wiki/rest/api/search', query: { cql: '{{cql}}', limit: '{{limit}}' }, output: 'results' },
      docsUrl:
        'https://developer.atlassian.com/cloud/confluence/rest/v1/api-group-search/#api-wiki-rest-api-search-get',
    },
  ],
};
