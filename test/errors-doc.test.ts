import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERRORS } from '../src/errors.ts';

describe('docs/errors.md', () => {
  const doc = fs.readFileSync(new URL('../docs/errors.md', import.meta.url), 'utf8');

  it('lists every error code with its status, and no code that does not exist', () => {
    for (const [code, { status }] of Object.entries(ERRORS)) {
      expect(doc, `docs/errors.md is missing ${code}`).toContain(`| \`${code}\` | ${status} |`);
    }
    const documented = [...doc.matchAll(/^\| `([a-z_]+)` \|/gm)].map((m) => m[1]);
    expect(documented.sort()).toEqual(Object.keys(ERRORS).sort());
  });

  it('keeps every message one sentence that ends with a full stop', () => {
    for (const { message } of Object.values(ERRORS)) expect(message).toMatch(/^[A-Z].*\.$/);
  });
});
