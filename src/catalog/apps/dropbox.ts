import type { AppInput } from '../schema.ts';
import type { ModuleInput } from './types.ts';

const path: ModuleInput = {
  name: 'path',
  label: 'Path',
  required: true,
  help: 'From the root, e.g. /Reports/2025.pdf, or an ID such as id:a4ayc_80_OEAAAAAAAAAYa.',
  example: '/Projects/Website redesign',
};

/**
 * Dropbox API v2: every call is a POST with JSON arguments. Short-lived access
 * tokens (four hours); a refresh token comes back only when asked for with
 * `token_access_type=offline`.
 */
export const dropbox: AppInput = {
  id: 'dropbox',
  name: 'Dropbox',
  category: 'Files',
  docsUrl: 'https://www.dropbox.com/developers/documentation/http/documentation',
  authDocsUrl: 'https://developers.dropbox.com/oauth-guide',
  scopesDocsUrl: 'https://developers.dropbox.com/oauth-guide#dropbox-api-permissions',
  connections: [
    {
      type: 'oauth2',
      authorizeUrl: 'https://www.dropbox.com/oauth2/authorize',
      tokenUrl: 'https://api.dropboxapi.com/oauth2/token',
      scopeSeparator: ' ',
      baseScopes: ['account_info.read'],
      authorizeParameters: { token_access_type: 'offline' },
      baseUrl: 'https://api.dropboxapi.com/2',
      // This endpoint takes no arguments: the body must be empty or the JSON null.
      verify: {
        method: 'POST',
        url: '/users/get_current_account',
        headers: { 'Content-Type': 'application/json' },
        body: 'null',
        accountId: ['account_id'],
        accountLabel: ['email', 'name.display_name'],
      },
    },
  ],
  scopes: [
    { name: 'account_info.read', description: 'See your Dropbox account’s name, email and country.' },
    { name: 'files.metadata.read', description: 'See the names and details of your files and folders.' },
    {
      name: 'files.metadata.write',
      description: 'Rename, move, copy and delete your files and folders, and create folders.',
    },
    { name: 'files.content.read', description: 'Read the content of your files.' },
    { name: 'files.content.write', description: 'Change the content of your files and upload new ones.' },
    { name: 'sharing.write', description: 'Share your files and folders and manage their shared links.' },
  ],
  modules: [
    {
      id: 'list-folder',
      name: 'List a folder',
      scopes: ['files.metadata.read'],
      inputs: [
        {
          name: 'path',
          label: 'Folder path',
          default: '',
          allowEmpty: true,
          help: 'Empty for the root, else e.g. /Reports.',
        },
        { name: 'recursive', label: 'Include subfolders', type: 'boolean', default: false },
      ],
      request: {
        method: 'POST',
        url: '/files/list_folder',
        body: { path: '{{path}}', recursive: '{{recursive}}' },
        output: 'entries',
      },
      docsUrl: 'https://www.dropbox.com/developers/documentation/http/documentation#files-list_folder',
    },
    {
      id: 'get-metadata',
      name: 'Get a file’s or folder’s details',
      scopes: ['files.metadata.read'],
      inputs: [path],
      request: { method: 'POST', url: '/files/get_metadata', body: { path: '{{path}}' } },
      docsUrl: 'https://www.dropbox.com/developers/documentation/http/documentation#files-get_metadata',
    },
    {
      id: 'search',
      name: 'Search files and folders',
      scopes: ['files.metadata.read'],
      inputs: [{ name: 'query', label: 'Query', required: true, example: 'invoice' }],
      request: { method: 'POST', url: '/files/search_v2', body: { query: '{{query}}' }, output: 'matches' },
      docsUrl: 'https://www.dropbox.com/developers/documentation/http/documentation#files-search',
    },
    {
      id: 'create-folder',
      name: 'Create a folder',
      scopes: ['files.content.write'],
      inputs: [path, { name: 'autorename', label: 'Rename if it exists', type: 'boolean', default: false }],
      request: {
        method: 'POST',
        url: '/files/create_folder_v2',
        body: { path: '{{path}}', autorename: '{{autorename}}' },
        output: 'metadata',
      },
      docsUrl: 'https://www.dropbox.com/developers/documentation/http/documentation#files-create_folder',
    },
    {
      id: 'create-shared-link',
      name: 'Create a shared link',
      scopes: ['sharing.write'],
      inputs: [path],
      request: { method: 'POST', url: '/sharing/create_shared_link_with_settings', body: { path: '{{path}}' } },
      docsUrl:
        'https://www.dropbox.com/developers/documentation/http/documentation#sharing-create_shared_link_with_settings',
    },
    {
      id: 'delete',
      name: 'Delete a file or folder',
      scopes: ['files.content.write'],
      inputs: [path],
      request: { method: 'POST', url: '/files/delete_v2', body: { path: '{{path}}' }, output: 'metadata' },
      docsUrl: 'https://www.dropbox.com/developers/documentation/http/documentation#files-delete',
    },
  ],
};
