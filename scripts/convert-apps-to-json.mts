#!/usr/bin/env node
/**
 * `node --import tsx scripts/convert-apps-to-json.mts [--out DIR]`: writes the
 * built-in apps that are still TypeScript (src/catalog/apps/*.ts, listed by
 * builtInApps) as data files — apps/<id>.json, and apps/presets/<name>.json
 * for the shared sign-in helpers — then checks that the catalog loaded from
 * the written files is deep-equal to the one loaded from TypeScript, notes
 * aside. Re-runnable: files of apps that no longer exist are removed.
 *
 * - An app that calls a preset's helper (googleConnection(…)) is written as
 *   `extends` + only what differs from the preset, by the merge rule of
 *   src/catalog/merge.ts; when that cannot reproduce the app, it is written whole.
 * - The comments of the TypeScript (JSDoc and line comments: facts and links)
 *   become `notes` of the nearest app, connection kind or module, read with the
 *   TypeScript compiler API.
 * - No field is listed here: whatever the TypeScript objects hold is written.
 *
 * This script goes once the TypeScript app files are gone.
 */
import fs from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import prettier from 'prettier';
import ts from 'typescript';
import { readCatalog } from '../src/catalog/catalog.ts';
import { isJsonObject, mergeOverPreset } from '../src/catalog/merge.ts';
import { parseApp } from '../src/catalog/parse-app.ts';
import type { AppDefinition, AppInput } from '../src/catalog/schema.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const TS_DIR = path.join(ROOT, 'src', 'catalog', 'apps');
if (!fs.existsSync(path.join(TS_DIR, 'index.ts'))) {
  console.error(
    'There are no TypeScript apps to convert: src/catalog/apps/index.ts is gone, apps/*.json are the catalog.',
  );
  process.exit(1);
}
// Imported by name, so this script still compiles once the TypeScript apps are gone.
const typescriptApps = '../src/catalog/apps/index.ts';
const { builtInApps } = (await import(typescriptApps)) as { builtInApps: AppInput[] };
const outArg = process.argv.indexOf('--out');
const OUT = outArg === -1 ? path.join(ROOT, 'apps') : path.resolve(process.argv[outArg + 1]!);
const PRESETS_OUT = path.join(OUT, 'presets');

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/**
 * The TypeScript helpers that become presets: the function that builds the
 * connection kind (its arguments become the preset's parameters, in order),
 * and the app fields every app of the preset takes from the helper's module.
 */
interface PresetSource {
  name: string;
  module: string;
  kindFunction: string;
  parameters: Array<{ name: string; description: string }>;
  appFields(module: Record<string, unknown>): Record<string, unknown>;
}

const PRESET_SOURCES: PresetSource[] = [
  {
    name: 'google',
    module: 'google-oauth.ts',
    kindFunction: 'googleConnection',
    parameters: [{ name: 'baseUrl', description: 'the API’s base URL, below which the modules’ paths go' }],
    appFields: (m) => ({ authDocsUrl: m.GOOGLE_AUTH_DOCS, hosts: [m.GOOGLE_USERINFO_HOST] }),
  },
  {
    name: 'microsoft',
    module: 'microsoft-oauth.ts',
    kindFunction: 'microsoftConnection',
    parameters: [],
    appFields: (m) => ({ authDocsUrl: m.MICROSOFT_AUTH_DOCS, scopesDocsUrl: m.MICROSOFT_SCOPES_DOCS }),
  },
  {
    name: 'atlassian',
    module: 'atlassian-oauth.ts',
    kindFunction: 'atlassianConnection',
    parameters: [
      { name: 'product', description: 'the product in api.atlassian.com/ex/<product>/: jira or confluence' },
    ],
    appFields: (m) => ({ authDocsUrl: m.ATLASSIAN_AUTH_DOCS }),
  },
];

const asJson = (value: unknown): Json => JSON.parse(JSON.stringify(value)) as Json;

// --- comments --------------------------------------------------------------------------------

/** Tool directives are not notes. */
const DIRECTIVE = /^(eslint|prettier-ignore|@ts-|istanbul)/;

function commentText(raw: string, kind: ts.CommentKind): string {
  const body =
    kind === ts.SyntaxKind.MultiLineCommentTrivia
      ? raw
          .replace(/^\/\*\*?/, '')
          .replace(/\*\/$/, '')
          .split('\n')
          .map((line) => line.replace(/^\s*\*\s?/, ''))
          .join('\n')
      : raw.replace(/^\/\/\s?/, '');
  return body.replace(/\s+/g, ' ').trim();
}

interface Comment {
  pos: number;
  text: string;
}

/** Every comment of a file once, adjacent line comments joined into one. */
function commentsOf(source: ts.SourceFile): Comment[] {
  const text = source.getFullText();
  const seen = new Map<number, ts.CommentRange>();
  const visit = (node: ts.Node) => {
    for (const range of [
      ...(ts.getLeadingCommentRanges(text, node.getFullStart()) ?? []),
      ...(ts.getTrailingCommentRanges(text, node.getEnd()) ?? []),
    ])
      seen.set(range.pos, range);
    node.forEachChild(visit);
  };
  visit(source);
  const ranges = [...seen.values()].sort((a, b) => a.pos - b.pos);
  const comments: Array<Comment & { end: number; line: boolean }> = [];
  for (const range of ranges) {
    const words = commentText(text.slice(range.pos, range.end), range.kind);
    if (!words || DIRECTIVE.test(words)) continue;
    const line = range.kind === ts.SyntaxKind.SingleLineCommentTrivia;
    const last = comments.at(-1);
    if (
      line &&
      last?.line &&
      /^\s*$/.test(text.slice(last.end, range.pos)) &&
      !/\n\s*\n/.test(text.slice(last.end, range.pos))
    ) {
      last.text = `${last.text} ${words}`;
      last.end = range.end;
    } else comments.push({ pos: range.pos, end: range.end, text: words, line });
  }
  // A comment on a constant that holds a link (GOOGLE_SCOPES_DOCS) keeps the link, which no app field may hold.
  return comments.map(({ pos, text: t }) => {
    const value = stringConstantAfter(source, pos);
    return { pos, text: value && !t.includes(value) ? `${t} ${value}` : t };
  });
}

/** The string a top-level `const X = '…'` holds, when the comment at `pos` leads it. */
function stringConstantAfter(source: ts.SourceFile, pos: number): string | undefined {
  const statement = source.statements.find((s) => s.getFullStart() <= pos && pos < s.getStart());
  if (!statement || !ts.isVariableStatement(statement)) return undefined;
  const [declaration] = statement.declarationList.declarations;
  const init = declaration?.initializer;
  return init && ts.isStringLiteralLike(init) ? init.text : undefined;
}

/** A span of the file that belongs to one kind or module of the app (an array element, or the declaration it names). */
interface Region {
  level: 'kind' | 'module';
  index: number;
  start: number;
  end: number;
}

function topLevelDeclaration(source: ts.SourceFile, name: string): ts.Node | undefined {
  for (const statement of source.statements) {
    if (ts.isVariableStatement(statement)) {
      for (const d of statement.declarationList.declarations)
        if (ts.isIdentifier(d.name) && d.name.text === name) return statement;
    }
    if (ts.isFunctionDeclaration(statement) && statement.name?.text === name) return statement;
  }
  return undefined;
}

function propertyOf(object: ts.ObjectLiteralExpression, name: string): ts.Expression | undefined {
  for (const p of object.properties)
    if (ts.isPropertyAssignment(p) && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) && p.name.text === name)
      return p.initializer;
  return undefined;
}

/** The regions of `connections` and `modules`; none when an array is built with spreads (its indices are unknown). */
function regionsOf(source: ts.SourceFile, app: ts.ObjectLiteralExpression): Region[] {
  const regions: Region[] = [];
  for (const [field, level] of [
    ['connections', 'kind'],
    ['modules', 'module'],
  ] as const) {
    const array = propertyOf(app, field);
    if (!array || !ts.isArrayLiteralExpression(array) || array.elements.some(ts.isSpreadElement)) continue;
    array.elements.forEach((element, index) => {
      regions.push({ level, index, start: element.getFullStart(), end: element.getEnd() });
      if (ts.isIdentifier(element)) {
        const declaration = topLevelDeclaration(source, element.text);
        if (declaration) regions.push({ level, index, start: declaration.getFullStart(), end: declaration.getEnd() });
      }
    });
  }
  return regions;
}

interface AppSource {
  file: string;
  source: ts.SourceFile;
  literal: ts.ObjectLiteralExpression;
}

/** Each app's object literal, found by its `id`, in the TypeScript files. */
function appSources(): Map<string, AppSource> {
  const found = new Map<string, AppSource>();
  for (const name of fs.readdirSync(TS_DIR).filter((f) => f.endsWith('.ts'))) {
    const file = path.join(TS_DIR, name);
    const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
    for (const statement of source.statements) {
      if (!ts.isVariableStatement(statement)) continue;
      for (const d of statement.declarationList.declarations) {
        const init =
          d.initializer && ts.isSatisfiesExpression(d.initializer) ? d.initializer.expression : d.initializer;
        if (!init || !ts.isObjectLiteralExpression(init)) continue;
        const id = propertyOf(init, 'id');
        if (id && ts.isStringLiteral(id)) found.set(id.text, { file, source, literal: init });
      }
    }
  }
  return found;
}

interface AppNotes {
  app: string[];
  kinds: Map<number, string[]>;
  modules: Map<number, string[]>;
}

/** Every comment of the app's file, given to the innermost kind or module region holding it, else to the app. */
function notesOf(found: AppSource): AppNotes {
  const regions = regionsOf(found.source, found.literal);
  const notes: AppNotes = { app: [], kinds: new Map(), modules: new Map() };
  for (const comment of commentsOf(found.source)) {
    const holders = regions.filter((r) => r.start <= comment.pos && comment.pos < r.end);
    const region = holders.sort((a, b) => a.end - a.start - (b.end - b.start))[0];
    if (!region) notes.app.push(comment.text);
    else {
      const map = region.level === 'kind' ? notes.kinds : notes.modules;
      map.set(region.index, [...(map.get(region.index) ?? []), comment.text]);
    }
  }
  return notes;
}

// --- presets ---------------------------------------------------------------------------------

interface PresetOut {
  source: PresetSource;
  /** The preset's app with `${parameter}` in place of its parameters. */
  app: JsonObject;
  /** The app's preset part for given parameter values. */
  filled(values: string[]): JsonObject;
  json: JsonObject;
}

async function presets(): Promise<PresetOut[]> {
  return Promise.all(
    PRESET_SOURCES.map(async (source) => {
      const file = path.join(TS_DIR, source.module);
      const module = (await import(file)) as Record<string, unknown>;
      const kindFunction = module[source.kindFunction] as (...args: string[]) => unknown;
      const build = (values: string[]): JsonObject =>
        asJson({ ...source.appFields(module), connections: [kindFunction(...values)] }) as JsonObject;
      const sourceFile = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
      const declaration = topLevelDeclaration(sourceFile, source.kindFunction)!;
      const kindNotes: string[] = [];
      const presetNotes: string[] = [];
      for (const comment of commentsOf(sourceFile)) {
        const inKind = declaration.getFullStart() <= comment.pos && comment.pos < declaration.getEnd();
        (inKind ? kindNotes : presetNotes).push(comment.text);
      }
      const app = build(source.parameters.map((p) => `\${${p.name}}`));
      const connections = app.connections as JsonObject[];
      const withNotes = { ...app, connections: connections.map((k) => withKey(k, 'notes', kindNotes, 'type')) };
      const json: JsonObject = {
        notes: presetNotes,
        parameters: Object.fromEntries(source.parameters.map((p) => [p.name, { description: p.description }])),
        app: withNotes,
      };
      return { source, app, filled: build, json };
    }),
  );
}

/** The string arguments of the first call of `fn` in the file, or null when it is not called with literals only. */
function callArguments(found: AppSource, fn: string): string[] | null | undefined {
  let args: string[] | null | undefined;
  const visit = (node: ts.Node) => {
    if (
      args === undefined &&
      ts.isCallExpression(node) &&
      ts.isIdentifier(node.expression) &&
      node.expression.text === fn
    )
      args = node.arguments.every(ts.isStringLiteralLike)
        ? node.arguments.map((a) => (a as ts.StringLiteralLike).text)
        : null;
    node.forEachChild(visit);
  };
  visit(found.literal);
  return args;
}

/** What `app` says beyond `preset`: the file that, merged over the preset, is the app again. */
function ownPart(preset: Json | undefined, app: Json): Json | undefined {
  if (isDeepStrictEqual(preset, app)) return undefined;
  if (!isJsonObject(preset) || !isJsonObject(app)) return app;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(app)) {
    const own = ownPart(preset[key], value);
    if (own !== undefined) out[key] = own;
  }
  return out;
}

// --- writing ---------------------------------------------------------------------------------

/** `object` with `key: value` placed after `after` (or first), unless value is empty. */
function withKey(object: JsonObject, key: string, value: string[], ...after: string[]): JsonObject {
  if (value.length === 0) return object;
  const entries = Object.entries(object).filter(([k]) => k !== key);
  let at = 0;
  entries.forEach(([k], i) => {
    if (after.includes(k)) at = i + 1;
  });
  entries.splice(at, 0, [key, value]);
  return Object.fromEntries(entries);
}

/** Formatted by Prettier, as the rest of the repository: short arrays on one line. */
async function writeJson(file: string, value: Json): Promise<void> {
  fs.writeFileSync(file, await prettier.format(JSON.stringify(value, null, 2), { parser: 'json', printWidth: 120 }));
}

/** The app file: `$schema`, `extends` and the app's own part, with its notes where they belong. */
function appFile(input: AppInput, found: AppSource | undefined, presetList: PresetOut[]): JsonObject {
  const app = asJson(input) as JsonObject;
  const notes: AppNotes = found ? notesOf(found) : { app: [], kinds: new Map(), modules: new Map() };
  let body: JsonObject = app;
  let extendsValue: Json | undefined;
  for (const preset of found ? presetList : []) {
    const values = callArguments(found!, preset.source.kindFunction);
    if (values === undefined) continue;
    if (values === null || values.length !== preset.source.parameters.length) {
      console.warn(`${input.id}: ${preset.source.kindFunction} is not called with literals; written whole`);
      break;
    }
    const filled = preset.filled(values);
    const own = (ownPart(filled, app) ?? {}) as JsonObject;
    if (!isDeepStrictEqual(mergeOverPreset(filled, own), app)) {
      console.warn(`${input.id}: the preset "${preset.source.name}" cannot reproduce it; written whole`);
      break;
    }
    body = own;
    extendsValue = preset.source.parameters.length
      ? {
          preset: preset.source.name,
          with: Object.fromEntries(preset.source.parameters.map((p, i) => [p.name, values[i]!])),
        }
      : preset.source.name;
    break;
  }

  // Notes of a kind or module the file does not write go to the app, so the preset part stays the preset's.
  const appNotes = [...notes.app];
  if (Array.isArray(body.connections))
    body = {
      ...body,
      connections: (body.connections as JsonObject[]).map((k, i) =>
        withKey(k, 'notes', notes.kinds.get(i) ?? [], 'type'),
      ),
    };
  else for (const n of notes.kinds.values()) appNotes.push(...n);
  if (Array.isArray(body.modules))
    body = {
      ...body,
      modules: (body.modules as JsonObject[]).map((m, i) =>
        withKey(m, 'notes', notes.modules.get(i) ?? [], 'id', 'name', 'description'),
      ),
    };
  else for (const n of notes.modules.values()) appNotes.push(...n);
  body = withKey(body, 'notes', appNotes, 'id', 'name', 'category', 'docsUrl', 'authDocsUrl', 'scopesDocsUrl', 'logo');

  return {
    $schema: './schema.json',
    ...(extendsValue !== undefined ? { extends: extendsValue } : {}),
    ...body,
  };
}

/** Removes `*.json` files of `dir` not in `keep` (apps since removed), schema.json aside. */
function removeOthers(dir: string, keep: Set<string>): void {
  for (const name of fs.readdirSync(dir))
    if (name.endsWith('.json') && name !== 'schema.json' && !keep.has(name)) fs.rmSync(path.join(dir, name));
}

// --- the check -------------------------------------------------------------------------------

/** The app as the catalog holds it, notes aside: what must not change in the move. */
function withoutNotes(app: AppDefinition): unknown {
  const copy = structuredClone(app);
  delete copy.notes;
  for (const kind of copy.connections) delete kind.notes;
  for (const module of copy.modules) delete module.notes;
  return asJson(copy);
}

function check(): string[] {
  const fromTs = new Map(builtInApps.map((input) => [input.id, withoutNotes(parseApp(input, input.id))]));
  const { apps, problems } = readCatalog({ appsDir: null, builtInDir: OUT });
  const differences = problems.map((p) => `${p.file}: ${p.path}: ${p.message}`);
  const fromJson = new Map(apps.map((app) => [app.id, withoutNotes(app)]));
  for (const [id, app] of fromTs) {
    if (!fromJson.has(id)) differences.push(`${id}: missing from the JSON files`);
    else if (!isDeepStrictEqual(fromJson.get(id), app)) differences.push(`${id}: differs between TypeScript and JSON`);
  }
  for (const id of fromJson.keys()) if (!fromTs.has(id)) differences.push(`${id}: only in the JSON files`);
  return differences;
}

// --- main ------------------------------------------------------------------------------------

const presetList = await presets();
const sources = appSources();
fs.mkdirSync(PRESETS_OUT, { recursive: true });
for (const preset of presetList) await writeJson(path.join(PRESETS_OUT, `${preset.source.name}.json`), preset.json);
removeOthers(PRESETS_OUT, new Set(presetList.map((p) => `${p.source.name}.json`)));
for (const input of builtInApps)
  await writeJson(path.join(OUT, `${input.id}.json`), appFile(input, sources.get(input.id), presetList));
removeOthers(OUT, new Set(builtInApps.map((a) => `${a.id}.json`)));

const differences = check();
if (differences.length) {
  console.error(`The JSON catalog differs from the TypeScript one:\n${differences.map((d) => `  ${d}`).join('\n')}`);
  process.exit(1);
}
const extending = builtInApps.filter(
  (a) => 'extends' in (JSON.parse(fs.readFileSync(path.join(OUT, `${a.id}.json`), 'utf8')) as object),
);
console.log(
  `Wrote ${builtInApps.length} apps (${extending.length} extend a preset) and ${presetList.length} presets to ${path.relative(ROOT, OUT) || '.'}; the catalog loaded from them equals the TypeScript one, notes aside.`,
);
