import fs from 'node:fs';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { BUILT_IN_APPS_DIR } from '../../src/catalog/app-folder.ts';
import { appJsonSchema, appJsonSchemaText } from '../../src/catalog/json-schema.ts';

// ajv-formats is CommonJS with a default export; under NodeNext its type is the module object.
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

const committedFile = path.join(BUILT_IN_APPS_DIR, 'schema.json');
const appFiles = fs
  .readdirSync(BUILT_IN_APPS_DIR)
  .filter((f) => f.endsWith('.json') && f !== 'schema.json')
  .sort();

/** What an editor does with apps/schema.json: a standard JSON Schema validator, not Hitch's code. */
const validate = addFormats(new Ajv2020({ allErrors: true, strict: false })).compile(
  JSON.parse(fs.readFileSync(committedFile, 'utf8')) as object,
);

describe('the JSON Schema of an app file', () => {
  it('is committed as generated from the zod schema', () => {
    const committed = fs.readFileSync(committedFile, 'utf8');
    expect(
      committed === appJsonSchemaText(),
      'apps/schema.json is not what the zod schema gives: run `npm run apps:schema` and commit apps/schema.json',
    ).toBe(true);
  });

  it.each(appFiles)('accepts the built-in apps/%s, which names it', (file) => {
    const value = JSON.parse(fs.readFileSync(path.join(BUILT_IN_APPS_DIR, file), 'utf8')) as { $schema?: string };
    expect(value.$schema).toBe('./schema.json');
    expect(validate(value), JSON.stringify(validate.errors)).toBe(true);
  });

  it('refuses what an editor should flag: a typo, a missing field, a kind that does not exist', () => {
    const base = {
      id: 'acme',
      name: 'Acme',
      connections: [{ type: 'apiKey', keys: [{ parameter: 'key', name: 'X-Key' }], baseUrl: 'https://acme.example' }],
    };
    expect(validate(base)).toBe(true);
    expect(validate({ ...base, scope: [] })).toBe(false);
    expect(validate({ id: 'acme', name: 'Acme' })).toBe(false);
    expect(validate({ ...base, connections: [{ type: 'oauth3', baseUrl: 'https://acme.example' }] })).toBe(false);
    // A file that extends a preset may leave out what the preset gives.
    expect(validate({ extends: 'microsoft', id: 'acme', name: 'Acme' })).toBe(true);
    expect(validate({ extends: { preset: 'atlassian', with: { product: 'jira' } }, id: 'acme', name: 'Acme' })).toBe(
      true,
    );
  });

  it('leaves out the defaults’ fields from what is required', () => {
    const schema = appJsonSchema() as { anyOf: Array<{ required: string[] }> };
    expect(schema.anyOf[1]!.required.sort()).toEqual(['connections', 'id', 'name']);
  });
});
