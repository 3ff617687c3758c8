import type { AppInput } from '../schema.ts';
import type { ModuleInput } from './types.ts';
import {
  GOOGLE_AUTH_DOCS,
  GOOGLE_USERINFO_HOST,
  googleConnection,
  googleIdentityScopes,
  googleServiceAccount,
} from './google-oauth.ts';

const SPREADSHEETS = 'https://www.googleapis.com/auth/spreadsheets';
const SPREADSHEETS_READONLY = 'https://www.googleapis.com/auth/spreadsheets.readonly';

const spreadsheetId: ModuleInput = {
  name: 'spreadsheetId',
  label: 'Spreadsheet ID',
  required: true,
  help: 'The long ID in the spreadsheet’s address, between /d/ and /edit.',
  example: '1BxiMVs0XRA5nFMdKvBdBZjgmUUqptlbs74OgvE2upms',
};
const range: ModuleInput = {
  name: 'range',
  label: 'Range',
  required: true,
  help: 'A sheet and cells in A1 notation, e.g. `Sheet1!A1:D` or just `Sheet1`.',
  example: 'Sheet1!A1:D',
};
const valueInputOption: ModuleInput = {
  name: 'valueInputOption',
  label: 'Value input option',
  type: 'select',
  default: 'USER_ENTERED',
  options: [
    { value: 'USER_ENTERED', label: 'As if typed (formulas and dates are parsed)' },
    { value: 'RAW', label: 'Raw (stored as given)' },
  ],
};

/** Google Sheets API v4: read and write cell values. */
export const googleSheets: AppInput = {
  id: 'google-sheets',
  name: 'Google Sheets',
  category: 'Productivity',
  docsUrl: 'https://developers.google.com/workspace/sheets/api/reference/rest',
  authDocsUrl: GOOGLE_AUTH_DOCS,
  scopesDocsUrl: 'https://developers.google.com/workspace/sheets/api/scopes',
  connections: [
    googleConnection('https://sheets.googleapis.com/v4'),
    googleServiceAccount('https://sheets.googleapis.com/v4'),
  ],
  hosts: [GOOGLE_USERINFO_HOST],
  scopes: [
    ...googleIdentityScopes,
    { name: SPREADSHEETS, description: 'See, edit, create and delete all your Google Sheets spreadsheets.' },
    { name: SPREADSHEETS_READONLY, description: 'See all your Google Sheets spreadsheets.' },
  ],
  modules: [
    {
      id: 'add-row',
      name: 'Add rows',
      description: 'Appends rows after the last row of the table found in the range.',
      scopes: [SPREADSHEETS],
      inputs: [
        spreadsheetId,
        range,
        {
          name: 'values',
          label: 'Rows',
          type: 'json',
          required: true,
          help: 'An array of rows, each an array of cell values: [["Ada", "ada@example.com"]].',
          example: [['Ada Lovelace', 'ada.lovelace@example.com', '2025-07-01', 120]],
        },
        valueInputOption,
      ],
      request: {
        method: 'POST',
        url: '/spreadsheets/{{spreadsheetId}}/values/{{range}}:append',
        query: { valueInputOption: '{{valueInputOption}}', insertDataOption: 'INSERT_ROWS' },
        body: { values: '{{values}}' },
        output: 'updates',
      },
      docsUrl: 'https://developers.google.com/workspace/sheets/api/reference/rest/v4/spreadsheets.values/append',
    },
    {
      id: 'get-values',
      name: 'Get values of a range',
      scopes: [SPREADSHEETS_READONLY],
      inputs: [spreadsheetId, range],
      request: { url: '/spreadsheets/{{spreadsheetId}}/values/{{range}}', output: 'values' },
      docsUrl: 'https://developers.google.com/workspace/sheets/api/reference/rest/v4/spreadsheets.values/get',
    },
    {
      id: 'update-values',
      name: 'Update a range',
      description: 'Overwrites the cells of a range, e.g. one row.',
      scopes: [SPREADSHEETS],
      inputs: [
        spreadsheetId,
        range,
        {
          name: 'values',
          label: 'Rows',
          type: 'json',
          required: true,
          help: 'An array of rows, each an array of cell values.',
          example: [['Name', 'Email', 'Signed up', 'Amount']],
        },
        valueInputOption,
      ],
      request: {
        method: 'PUT',
        url: '/spreadsheets/{{spreadsheetId}}/values/{{range}}',
        query: { valueInputOption: '{{valueInputOption}}' },
        body: { values: '{{values}}' },
      },
      docsUrl: 'https://developers.google.com/workspace/sheets/api/reference/rest/v4/spreadsheets.values/update',
    },
    {
      id: 'clear-values',
      name: 'Clear a range',
      scopes: [SPREADSHEETS],
      inputs: [spreadsheetId, range],
      request: { method: 'POST', url: '/spreadsheets/{{spreadsheetId}}/values/{{range}}:clear', body: {} },
      docsUrl: 'https://developers.google.com/workspace/sheets/api/reference/rest/v4/spreadsheets.values/clear',
    },
    {
      id: 'create-spreadsheet',
      name: 'Create a spreadsheet',
      scopes: [SPREADSHEETS],
      inputs: [{ name: 'title', label: 'Title', required: true, example: 'Sales report 2025' }],
      request: { method: 'POST', url: '/spreadsheets', body: { properties: { title: '{{title}}' } } },
      docsUrl: 'https://developers.google.com/workspace/sheets/api/reference/rest/v4/spreadsheets/create',
    },
  ],
};
