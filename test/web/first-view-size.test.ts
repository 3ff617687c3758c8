import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { WEB_DIST_DIR } from '../../src/http/plugins/web-app.ts';

/** The budget for the JavaScript a first visit downloads, gzip. */
const FIRST_VIEW_GZIP_BYTES = 300 * 1024;

/** `import … from "./x.js"` in built code: loaded with the file. `import("./x.js")` (lazy) is not matched. */
const STATIC_IMPORT = /\bimport\s*(?:[\w$*{}\s,]+from\s*)?["'](\.{1,2}\/[^"']+\.js)["']/g;

/** The entry script of index.html and every chunk it imports statically, transitively. */
function firstViewScripts(dist: string): string[] {
  const html = fs.readFileSync(path.join(dist, 'index.html'), 'utf8');
  const entries = [...html.matchAll(/<script type="module"[^>]*src="\/([^"]+)"/g)].map((m) => m[1]!);
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const code = fs.readFileSync(path.join(dist, file), 'utf8');
    for (const m of code.matchAll(STATIC_IMPORT)) visit(path.posix.join(path.posix.dirname(file), m[1]!));
  };
  entries.forEach(visit);
  return [...seen];
}

describe('the web app’s first view', () => {
  it(`downloads under ${FIRST_VIEW_GZIP_BYTES / 1024} KB of JavaScript (gzip): the picker, cmdk and logos load later`, () => {
    const scripts = firstViewScripts(WEB_DIST_DIR);
    expect(scripts.length).toBeGreaterThan(0);
    const sizes = scripts.map((f) => zlib.gzipSync(fs.readFileSync(path.join(WEB_DIST_DIR, f))).length);
    const total = sizes.reduce((a, b) => a + b, 0);
    console.log(`first view: ${scripts.join(', ')} = ${(total / 1024).toFixed(1)} KB gzip`);
    expect(total).toBeLessThan(FIRST_VIEW_GZIP_BYTES);
    expect(scripts.some((f) => /app-logos|app-picker/.test(f))).toBe(false);
  });
});
