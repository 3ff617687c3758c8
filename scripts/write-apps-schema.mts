#!/usr/bin/env node
// `npm run apps:schema`: writes apps/schema.json, the JSON Schema of an app file, from the zod schema
// (src/catalog/json-schema.ts). test/catalog/json-schema.test.ts fails when the committed file is stale.
import fs from 'node:fs';
import path from 'node:path';
import { BUILT_IN_APPS_DIR } from '../src/catalog/app-folder.ts';
import { SCHEMA_FILE } from '../src/catalog/json-files.ts';
import { appJsonSchemaText } from '../src/catalog/json-schema.ts';

const file = path.join(BUILT_IN_APPS_DIR, SCHEMA_FILE);
fs.mkdirSync(BUILT_IN_APPS_DIR, { recursive: true });
fs.writeFileSync(file, appJsonSchemaText());
console.log(`Wrote ${path.relative(process.cwd(), file)}.`);
