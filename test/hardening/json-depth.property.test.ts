/**
 * JSON bodies nested deeper than MAX_JSON_DEPTH (64) levels of arrays and
 * objects are a 400 before any handler runs: around the limit, far beyond it
 * (a megabyte of `[`), under every JSON content type, and with brackets inside
 * strings not counted. A route added here records whether its handler ran.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_JSON_DEPTH } from '../../src/json-depth.ts';
import { sqliteTestStore } from '../helpers/store.ts';
import { openTestApp, type TestApp } from '../http/app.ts';
import { record } from './figures.ts';
import { maybe } from '../helpers/maybe.ts';

const SINK = '/api/test/json-sink';
let t: TestApp;
let handled = 0;

beforeAll(async () => {
  t = await openTestApp(sqliteTestStore);
  t.app.post(SINK, { config: { auth: 'none' } }, async () => {
    handled += 1;
    return { ok: true };
  });
});
afterAll(async () => {
  await maybe(t)?.close();
});

/** A scalar wrapped in `depth` arrays or objects, `shape` choosing which at each level. */
function nested(depth: number, shape: boolean[], inner: string): string {
  let open = '';
  let close = '';
  for (let i = 0; i < depth; i++) {
    const object = shape[i % shape.length];
    open += object ? `{"k${i}":` : '[';
    close = (object ? '}' : ']') + close;
  }
  return open + inner + close;
}

/** Strings full of what a naive counter would take for nesting. */
const trickyString = fc.stringMatching(/^[[\]{}"\\a]{0,40}$/).map((s) => JSON.stringify(s));

async function post(payload: string, contentType = 'application/json') {
  const before = handled;
  const response = await t.app.inject({ method: 'POST', url: SINK, headers: { 'content-type': contentType }, payload });
  record('inputsTried');
  return { response, ran: handled > before };
}

describe('JSON nesting depth', () => {
  it(`accepts ${MAX_JSON_DEPTH} levels and refuses ${MAX_JSON_DEPTH + 1}, before the handler, whatever the shape`, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 2 * MAX_JSON_DEPTH + 8 }),
        fc.array(fc.boolean(), { minLength: 1, maxLength: 8 }),
        fc.oneof(trickyString, fc.constantFrom('0', 'null', 'true', '"x"', '[]', '{}')),
        fc.constantFrom('application/json', 'application/json; charset=utf-8', 'Application/JSON'),
        async (depth, shape, inner, contentType) => {
          // `[]` and `{}` as the innermost value are one more level.
          const total = depth + (inner === '[]' || inner === '{}' ? 1 : 0);
          const { response, ran } = await post(nested(depth, shape, inner), contentType);
          if (total <= MAX_JSON_DEPTH) {
            expect(response.statusCode).toBe(200);
            expect(ran).toBe(true);
          } else {
            expect(response.statusCode).toBe(400);
            expect(response.json().error.code).toBe('validation_failed');
            expect(response.json().error.message).toContain(String(MAX_JSON_DEPTH));
            expect(ran).toBe(false);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('answers a megabyte of brackets with 400 at once, not a crash', async () => {
    for (const payload of [
      '['.repeat(1024 * 1024 - 10),
      '{"a":'.repeat(200_000),
      `${'['.repeat(100_000)}${']'.repeat(100_000)}`,
    ]) {
      const started = Date.now();
      const { response, ran } = await post(payload);
      expect(response.statusCode).toBe(400);
      expect(ran).toBe(false);
      expect(Date.now() - started).toBeLessThan(2_000);
    }
  });

  it('counts no bracket inside a string, escaped quotes included', async () => {
    const deepText = JSON.stringify({ text: `\\"${'['.repeat(500)}"\\${'{'.repeat(500)}` });
    const { response, ran } = await post(deepText);
    expect(response.statusCode).toBe(200);
    expect(ran).toBe(true);
  });
});
