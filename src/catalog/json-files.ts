import fs from 'node:fs';
import path from 'node:path';
import { parse as parseTolerantly, printParseErrorCode, type ParseError } from 'jsonc-parser';
import type { CatalogProblem } from './problems.ts';

/** The JSON Schema beside the app files (apps/schema.json, or a copy in HITCH_APPS_DIR): not an app. */
export const SCHEMA_FILE = 'schema.json';

export interface JsonFile {
  /** The file as problems name it. */
  file: string;
  value: unknown;
}

/**
 * Every `*.json` of a folder but schema.json, in name order, parsed. A file
 * that cannot be read or is not JSON becomes a problem naming its line and
 * column; the other files are still read, so every problem is reported at once.
 * An `optional` folder that does not exist holds no files.
 */
export function readJsonFolder(
  dir: string,
  display: (name: string) => string,
  options: { optional?: boolean } = {},
): { files: JsonFile[]; problems: CatalogProblem[] } {
  let names: string[];
  if (options.optional && !fs.existsSync(dir)) return { files: [], problems: [] };
  try {
    names = fs
      .readdirSync(dir)
      .filter((name) => name.endsWith('.json') && name !== SCHEMA_FILE)
      .sort();
  } catch {
    return { files: [], problems: [{ file: dir, path: '', message: 'the folder cannot be read' }] };
  }
  const files: JsonFile[] = [];
  const problems: CatalogProblem[] = [];
  for (const name of names) {
    const file = display(name);
    let text: string;
    try {
      text = fs.readFileSync(path.join(dir, name), 'utf8');
    } catch {
      problems.push({ file, path: '', message: 'the file cannot be read' });
      continue;
    }
    const parsed = parseJson(text);
    if ('problem' in parsed) problems.push({ file, path: '', message: parsed.problem });
    else files.push({ file, value: parsed.value });
  }
  return { files, problems };
}

/** JSON.parse, and when it fails, where: V8's messages do not always give the position. */
export function parseJson(text: string): { value: unknown } | { problem: string } {
  const source = text.replace(/^\uFEFF/, '');
  try {
    return { value: JSON.parse(source) as unknown };
  } catch (error) {
    const errors: ParseError[] = [];
    parseTolerantly(source, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
    const first = errors[0];
    if (!first) return { problem: `is not valid JSON: ${(error as Error).message}` };
    const { line, column } = lineAndColumn(source, first.offset);
    return { problem: `is not valid JSON at line ${line}, column ${column}: ${describeParseError(first)}` };
  }
}

/** `PropertyNameExpected` → `expected a property name`; `InvalidSymbol` → `invalid symbol`. */
function describeParseError(error: ParseError): string {
  const words = printParseErrorCode(error.error)
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase();
  const expected = /^(.*) expected$/.exec(words);
  return expected ? `expected ${/^[aeiou]/.test(expected[1]!) ? 'an' : 'a'} ${expected[1]!}` : words;
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: before.at(-1)!.length + 1 };
}
