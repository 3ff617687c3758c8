import type { AppInput } from '../schema.ts';
import type { ModuleInput } from './types.ts';
import {
  MICROSOFT_AUTH_DOCS,
  MICROSOFT_SCOPES_DOCS,
  microsoftBaseScopes,
  microsoftConnection,
} from './microsoft-oauth.ts';

const itemId: ModuleInput = {
  name: 'itemId',
  label: 'Workbook ID',
  required: true,
  help: 'The OneDrive item ID of the .xlsx file.',
  example: '01BYE5RZ6QN3ZWBTUFOFD3GSPGOHDJD36K',
};
const worksheet: ModuleInput = {
  name: 'worksheet',
  label: 'Worksheet',
  required: true,
  help: 'The worksheet’s name or ID, e.g. Sheet1.',
  example: 'Sheet1',
};
const address: ModuleInput = {
  name: 'address',
  label: 'Range',
  required: true,
  help: 'Cells in A1 notation, e.g. A1:C10.',
  example: 'A1:C2',
};

/** Excel workbooks stored in OneDrive or SharePoint, through Microsoft Graph. */
export const microsoftExcel: AppInput = {
  id: 'microsoft-excel',
  name: 'Microsoft Excel',
  category: 'Productivity',
  docsUrl: 'https://learn.microsoft.com/en-us/graph/api/resources/excel',
  authDocsUrl: MICROSOFT_AUTH_DOCS,
  scopesDocsUrl: MICROSOFT_SCOPES_DOCS,
  connections: [microsoftConnection()],
  scopes: [
    ...microsoftBaseScopes,
    { name: 'Files.Read', description: 'Read your files, including your workbooks.' },
    { name: 'Files.ReadWrite', description: 'Read, create, update and delete your files, including your workbooks.' },
  ],
  modules: [
    {
      id: 'list-worksheets',
      name: 'List worksheets',
      scopes: ['Files.Read'],
      inputs: [itemId],
      request: { url: '/me/drive/items/{{itemId}}/workbook/worksheets', output: 'value' },
      docsUrl: 'https://learn.microsoft.com/en-us/graph/api/workbook-list-worksheets',
    },
    {
      id: 'get-range',
      name: 'Get a range',
      scopes: ['Files.Read'],
      inputs: [itemId, worksheet, address],
      request: {
        url: "/me/drive/items/{{itemId}}/workbook/worksheets/{{worksheet}}/range(address='{{address}}')",
        output: 'values',
      },
      docsUrl: 'https://learn.microsoft.com/en-us/graph/api/worksheet-range',
    },
    {
      id: 'update-range',
      name: 'Update a range',
      scopes: ['Files.ReadWrite'],
      inputs: [
        itemId,
        worksheet,
        address,
        {
          name: 'values',
          label: 'Values',
          type: 'json',
          required: true,
          help: 'An array of rows, each an array of cell values, the same size as the range.',
          example: [
            ['Name', 'Email', 'Amount'],
            ['Ada Lovelace', 'ada.lovelace@example.com', 120],
          ],
        },
      ],
      request: {
        method: 'PATCH',
        url: "/me/drive/items/{{itemId}}/workbook/worksheets/{{worksheet}}/range(address='{{address}}')",
        body: { values: '{{values}}' },
      },
      docsUrl: 'https://learn.microsoft.com/en-us/graph/api/range-update',
    },
    {
      id: 'list-tables',
      name: 'List tables',
      scopes: ['Files.Read'],
      inputs: [itemId],
      request: { url: '/me/drive/items/{{itemId}}/workbook/tables', output: 'value' },
      docsUrl: 'https://learn.microsoft.com/en-us/graph/api/workbook-list-tables',
    },
    {
      id: 'add-table-rows',
      name: 'Add rows to a table',
      scopes: ['Files.ReadWrite'],
      inputs: [
        itemId,
        {
          name: 'table',
          label: 'Table',
          required: true,
          help: 'The table’s name or ID, e.g. Table1.',
          example: 'Table1',
        },
        {
          name: 'values',
          label: 'Rows',
          type: 'json',
          required: true,
          help: 'An array of rows, each an array of cell values: [["Ada", 36]].',
          example: [['Ada Lovelace', 36]],
        },
      ],
      request: {
        method: 'POST',
        url: '/me/drive/items/{{itemId}}/workbook/tables/{{table}}/rows',
        body: { values: '{{values}}' },
      },
      docsUrl: 'https://learn.microsoft.com/en-us/graph/api/table-post-rows',
    },
  ],
};
