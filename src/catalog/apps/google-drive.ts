import type { AppInput } from '../schema.ts';
import type { ModuleInput } from './types.ts';
import {
  GOOGLE_AUTH_DOCS,
  GOOGLE_USERINFO_HOST,
  googleConnection,
  googleIdentityScopes,
  googleServiceAccount,
} from './google-oauth.ts';

const DRIVE = 'https://www.googleapis.com/auth/drive';
const DRIVE_FILE = 'https://www.googleapis.com/auth/drive.file';
const DRIVE_READONLY = 'https://www.googleapis.com/auth/drive.readonly';
const DRIVE_METADATA_READONLY = 'https://www.googleapis.com/auth/drive.metadata.readonly';

const fileId: ModuleInput = {
  name: 'fileId',
  label: 'File ID',
  required: true,
  example: '1Xq7cVb3pLm9TzR2wKe5HyN8uJd4sFgA6',
};

/** Google Drive API v3: find, organize and share files. */
export const googleDrive: AppInput = {
  id: 'google-drive',
  name: 'Google Drive',
  category: 'Files',
  docsUrl: 'https://developers.google.com/workspace/drive/api/reference/rest/v3',
  authDocsUrl: GOOGLE_AUTH_DOCS,
  scopesDocsUrl: 'https://developers.google.com/workspace/drive/api/guides/api-specific-auth',
  connections: [
    googleConnection('https://www.googleapis.com/drive/v3'),
    googleServiceAccount('https://www.googleapis.com/drive/v3'),
  ],
  hosts: [GOOGLE_USERINFO_HOST],
  scopes: [
    ...googleIdentityScopes,
    { name: DRIVE, description: 'See, edit, create and delete all of your Google Drive files.' },
    { name: DRIVE_FILE, description: 'See, edit, create and delete only the Drive files you use with this app.' },
    { name: DRIVE_READONLY, description: 'See and download all your Google Drive files.' },
    {
      name: DRIVE_METADATA_READONLY,
      description: 'See information about your Drive files (names, folders, owners), not their content.',
    },
  ],
  modules: [
    {
      id: 'search-files',
      name: 'Search files and folders',
      scopes: [DRIVE_METADATA_READONLY],
      inputs: [
        {
          name: 'q',
          label: 'Query',
          help: "Drive search syntax, e.g. `name contains 'report' and trashed = false`.",
          example: "name contains 'report' and trashed = false",
        },
        { name: 'pageSize', label: 'Maximum results', type: 'number', default: 100 },
        { name: 'fields', label: 'Fields', default: 'files(id,name,mimeType,parents,modifiedTime,webViewLink)' },
      ],
      request: {
        url: '/files',
        query: { q: '{{q}}', pageSize: '{{pageSize}}', fields: '{{fields}}' },
        output: 'files',
      },
      docsUrl: 'https://developers.google.com/workspace/drive/api/reference/rest/v3/files/list',
    },
    {
      id: 'get-file',
      name: 'Get a file’s metadata',
      scopes: [DRIVE_METADATA_READONLY],
      inputs: [
        fileId,
        { name: 'fields', label: 'Fields', default: 'id,name,mimeType,parents,size,modifiedTime,webViewLink' },
      ],
      request: { url: '/files/{{fileId}}', query: { fields: '{{fields}}' } },
      docsUrl: 'https://developers.google.com/workspace/drive/api/reference/rest/v3/files/get',
    },
    {
      id: 'create-folder',
      name: 'Create a folder',
      scopes: [DRIVE_FILE],
      inputs: [
        { name: 'name', label: 'Name', required: true, example: 'Invoices 2025' },
        {
          name: 'parents',
          label: 'Parent folder IDs',
          type: 'list',
          help: 'Empty for My Drive.',
          example: ['1mN4bV7cX0zL3kJ6hG9fD2sA5pO8iU1yT'],
        },
      ],
      request: {
        method: 'POST',
        url: '/files',
        body: { name: '{{name}}', mimeType: 'application/vnd.google-apps.folder', parents: '{{parents}}' },
      },
      docsUrl: 'https://developers.google.com/workspace/drive/api/guides/folder',
    },
    {
      id: 'copy-file',
      name: 'Copy a file',
      scopes: [DRIVE],
      inputs: [
        fileId,
        { name: 'name', label: 'New name', example: 'Copy of Budget 2025' },
        {
          name: 'parents',
          label: 'Destination folder IDs',
          type: 'list',
          example: ['1mN4bV7cX0zL3kJ6hG9fD2sA5pO8iU1yT'],
        },
      ],
      request: { method: 'POST', url: '/files/{{fileId}}/copy', body: { name: '{{name}}', parents: '{{parents}}' } },
      docsUrl: 'https://developers.google.com/workspace/drive/api/reference/rest/v3/files/copy',
    },
    {
      id: 'share-file',
      name: 'Share a file',
      description: 'Gives a person, group, domain or anyone with the link access to a file.',
      scopes: [DRIVE],
      inputs: [
        fileId,
        {
          name: 'type',
          label: 'Share with',
          type: 'select',
          required: true,
          default: 'user',
          options: [
            { value: 'user', label: 'A person' },
            { value: 'group', label: 'A group' },
            { value: 'domain', label: 'A domain' },
            { value: 'anyone', label: 'Anyone with the link' },
          ],
        },
        {
          name: 'role',
          label: 'Role',
          type: 'select',
          required: true,
          default: 'reader',
          options: [
            { value: 'reader', label: 'Viewer' },
            { value: 'commenter', label: 'Commenter' },
            { value: 'writer', label: 'Editor' },
          ],
        },
        {
          name: 'emailAddress',
          label: 'Email address',
          help: 'For a person or a group.',
          example: 'ada.lovelace@example.com',
        },
        { name: 'domain', label: 'Domain', help: 'For a domain.', example: 'example.com' },
      ],
      request: {
        method: 'POST',
        url: '/files/{{fileId}}/permissions',
        body: { type: '{{type}}', role: '{{role}}', emailAddress: '{{emailAddress}}', domain: '{{domain}}' },
      },
      docsUrl: 'https://developers.google.com/workspace/drive/api/reference/rest/v3/permissions/create',
    },
    {
      id: 'delete-file',
      name: 'Delete a file',
      description: 'Deletes a file permanently, skipping the trash.',
      scopes: [DRIVE],
      inputs: [fileId],
      request: { method: 'DELETE', url: '/files/{{fileId}}' },
      docsUrl: 'https://developers.google.com/workspace/drive/api/reference/rest/v3/files/delete',
    },
  ],
};
