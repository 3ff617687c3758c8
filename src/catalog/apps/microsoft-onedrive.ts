import type { AppInput } from '../schema.ts';
import type { ModuleInput } from './types.ts';
import {
  MICROSOFT_AUTH_DOCS,
  MICROSOFT_SCOPES_DOCS,
  microsoftBaseScopes,
  microsoftConnection,
} from './microsoft-oauth.ts';

const itemId: ModuleInput = { name: 'itemId', label: 'Item ID', required: true, example: 'D4648F06C91D9D3D!54927' };

/** OneDrive (personal and for Business) through Microsoft Graph: the signed-in user's drive. */
export const microsoftOnedrive: AppInput = {
  id: 'microsoft-onedrive',
  name: 'Microsoft OneDrive',
  category: 'Files',
  docsUrl: 'https://learn.microsoft.com/en-us/onedrive/developer/rest-api/',
  authDocsUrl: MICROSOFT_AUTH_DOCS,
  scopesDocsUrl: MICROSOFT_SCOPES_DOCS,
  connections: [microsoftConnection()],
  scopes: [
    ...microsoftBaseScopes,
    { name: 'Files.Read', description: 'Read your files.' },
    { name: 'Files.ReadWrite', description: 'Read, create, update and delete your files.' },
  ],
  modules: [
    {
      id: 'list-folder',
      name: 'List a folder',
      description: 'Lists the files and folders in a folder, or at the top of the drive when no folder is given.',
      scopes: ['Files.Read'],
      inputs: [
        {
          name: 'itemId',
          label: 'Folder ID',
          required: true,
          default: 'root',
          help: '`root` for the top of the drive.',
        },
      ],
      request: { url: '/me/drive/items/{{itemId}}/children', output: 'value' },
      docsUrl: 'https://learn.microsoft.com/en-us/graph/api/driveitem-list-children',
    },
    {
      id: 'search-files',
      name: 'Search files',
      scopes: ['Files.Read'],
      inputs: [
        {
          name: 'q',
          label: 'Text',
          required: true,
          help: 'Matched against names, metadata and content.',
          example: 'invoice',
        },
      ],
      request: { url: "/me/drive/root/search(q='{{q}}')", output: 'value' },
      docsUrl: 'https://learn.microsoft.com/en-us/graph/api/driveitem-search',
    },
    {
      id: 'get-item',
      name: 'Get a file or folder',
      scopes: ['Files.Read'],
      inputs: [itemId],
      request: { url: '/me/drive/items/{{itemId}}' },
      docsUrl: 'https://learn.microsoft.com/en-us/graph/api/driveitem-get',
    },
    {
      id: 'create-folder',
      name: 'Create a folder',
      scopes: ['Files.ReadWrite'],
      inputs: [
        { name: 'parentId', label: 'Parent folder ID', required: true, default: 'root' },
        { name: 'name', label: 'Name', required: true, example: 'Invoices 2025' },
      ],
      request: {
        method: 'POST',
        url: '/me/drive/items/{{parentId}}/children',
        body: { name: '{{name}}', folder: {}, '@microsoft.graph.conflictBehavior': 'rename' },
      },
      docsUrl: 'https://learn.microsoft.com/en-us/graph/api/driveitem-post-children',
    },
    {
      id: 'create-sharing-link',
      name: 'Create a sharing link',
      scopes: ['Files.ReadWrite'],
      inputs: [
        itemId,
        {
          name: 'type',
          label: 'Link type',
          type: 'select',
          required: true,
          default: 'view',
          options: [
            { value: 'view', label: 'View' },
            { value: 'edit', label: 'Edit' },
            { value: 'embed', label: 'Embed (personal OneDrive only)' },
          ],
        },
        {
          name: 'scope',
          label: 'Who can use it',
          type: 'select',
          default: 'anonymous',
          options: [
            { value: 'anonymous', label: 'Anyone with the link' },
            { value: 'organization', label: 'People in my organization' },
          ],
        },
      ],
      request: {
        method: 'POST',
        url: '/me/drive/items/{{itemId}}/createLink',
        body: { type: '{{type}}', scope: '{{scope}}' },
      },
      docsUrl: 'https://learn.microsoft.com/en-us/graph/api/driveitem-createlink',
    },
    {
      id: 'delete-item',
      name: 'Delete a file or folder',
      description: 'Moves the item to the recycle bin.',
      scopes: ['Files.ReadWrite'],
      inputs: [itemId],
      request: { method: 'DELETE', url: '/me/drive/items/{{itemId}}' },
      docsUrl: 'https://learn.microsoft.com/en-us/graph/api/driveitem-delete',
    },
  ],
};
