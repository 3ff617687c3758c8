import type { AppInput } from '../schema.ts';

/**
 * Box Platform API 2.0. Access tokens last about an hour; each refresh token
 * works once and is replaced. The scopes requested may only narrow those set
 * on the app in the Box developer console.
 */
export const box: AppInput = {
  id: 'box',
  name: 'Box',
  category: 'Files',
  docsUrl: 'https://developer.box.com/reference/',
  authDocsUrl: 'https://developer.box.com/guides/authentication/oauth2/',
  scopesDocsUrl: 'https://developer.box.com/guides/api-calls/permissions-and-errors/scopes/',
  connections: [
    {
      type: 'oauth2',
      authorizeUrl: 'https://account.box.com/api/oauth2/authorize',
      tokenUrl: 'https://api.box.com/oauth2/token',
      revokeUrl: 'https://api.box.com/oauth2/revoke',
      scopeSeparator: ' ',
      baseUrl: 'https://api.box.com/2.0',
      verify: { url: '/users/me', accountId: ['id'], accountLabel: ['login', 'name'] },
    },
  ],
  scopes: [
    { name: 'root_readonly', description: 'Read all files and folders stored in Box.' },
    { name: 'root_readwrite', description: 'Read and write all files and folders stored in Box.' },
  ],
  modules: [
    {
      id: 'list-folder-items',
      name: 'List a folder',
      scopes: ['root_readonly'],
      inputs: [
        { name: 'folderId', label: 'Folder ID', required: true, default: '0', help: '`0` for the root folder.' },
        { name: 'limit', label: 'Maximum results', type: 'number', default: 100 },
      ],
      request: { url: '/folders/{{folderId}}/items', query: { limit: '{{limit}}' }, output: 'entries' },
      docsUrl: 'https://developer.box.com/reference/get-folders-id-items/',
    },
    {
      id: 'get-file',
      name: 'Get a file’s details',
      scopes: ['root_readonly'],
      inputs: [{ name: 'fileId', label: 'File ID', required: true, example: '1496712854320' }],
      request: { url: '/files/{{fileId}}' },
      docsUrl: 'https://developer.box.com/reference/get-files-id/',
    },
    {
      id: 'search',
      name: 'Search',
      scopes: ['root_readonly'],
      inputs: [
        { name: 'query', label: 'Query', required: true, example: 'quarterly report' },
        {
          name: 'type',
          label: 'Type',
          type: 'select',
          example: 'file',
          options: [
            { value: 'file', label: 'Files' },
            { value: 'folder', label: 'Folders' },
            { value: 'web_link', label: 'Web links' },
          ],
        },
      ],
      request: { url: '/search', query: { query: '{{query}}', type: '{{type}}' }, output: 'entries' },
      docsUrl: 'https://developer.box.com/reference/get-search/',
    },
    {
      id: 'create-folder',
      name: 'Create a folder',
      scopes: ['root_readwrite'],
      inputs: [
        { name: 'name', label: 'Name', required: true, example: 'Client contracts 2025' },
        { name: 'parentId', label: 'Parent folder ID', required: true, default: '0' },
      ],
      request: { method: 'POST', url: '/folders', body: { name: '{{name}}', parent: { id: '{{parentId}}' } } },
      docsUrl: 'https://developer.box.com/reference/post-folders/',
    },
  ],
};
