#!/usr/bin/env node
// Builds the server and the CLI (src/) into dist/, one JavaScript file (and
// source map) per TypeScript file, in the same layout, so paths relative to a
// module (../../../web/dist) stay right. Run by `npm install` (prepare), and
// by `npm start` and `npm test` when dist/ is missing or older than src/.
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const srcDir = path.join(root, 'src');
const outDir = path.join(root, 'dist');
/** Written last: dist/ is complete when this exists. */
const STAMP = path.join(outDir, '.built');

/** The TypeScript files the server and the CLI are made of (tests stay out). */
function sources(dir = srcDir) {
  const files = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) files.push(...sources(full));
    else if (/\.ts$/.test(entry.name) && !/\.(test|d)\.ts$/.test(entry.name)) files.push(full);
  }
  return files;
}

/** True when dist/ is missing, unfinished, or older than a file in src/ (or than this script). */
export function serverBuildIsStale() {
  let built;
  try {
    built = fs.statSync(STAMP).mtimeMs;
  } catch {
    return true;
  }
  const newer = (file) => fs.statSync(file).mtimeMs > built;
  const walk = (dir) =>
    fs.readdirSync(dir, { withFileTypes: true }).some((entry) => {
      const full = path.join(dir, entry.name);
      // A directory's time changes when a file in it is added, removed or renamed.
      return entry.isDirectory() ? newer(full) || walk(full) : newer(full);
    });
  // Without src/ (an install that kept only dist/), the build there is the one to run.
  if (!fs.existsSync(srcDir)) return false;
  return newer(import.meta.filename) || newer(srcDir) || walk(srcDir);
}

export async function buildServer() {
  const { build } = await import('esbuild');
  // Built beside dist/ and then moved in place, so a dist/ is never half-written.
  const tmpDir = `${outDir}.tmp-${process.pid}`;
  fs.rmSync(tmpDir, { recursive: true, force: true });
  await build({
    entryPoints: sources(),
    outdir: tmpDir,
    outbase: srcDir,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: true,
    // Stack traces need only the mappings; the sources are in src/.
    sourcesContent: false,
    // Bundling only to rewrite import specifiers: every relative import stays a
    // separate file ('./x.ts' becomes './x.js'), and packages come from node_modules.
    bundle: true,
    packages: 'external',
    logLevel: 'warning',
    plugins: [
      {
        name: 'keep-modules-apart',
        setup(b) {
          b.onResolve({ filter: /^\.\.?\// }, (args) => {
            if (args.kind === 'entry-point') return undefined;
            return { path: args.path.replace(/\.ts$/, '.js'), external: true };
          });
        },
      },
    ],
  });
  fs.writeFileSync(path.join(tmpDir, path.basename(STAMP)), `${new Date().toISOString()}\n`);
  fs.rmSync(outDir, { recursive: true, force: true });
  fs.renameSync(tmpDir, outDir);
}

if (process.argv[1] === import.meta.filename) {
  if (process.argv.includes('--if-stale') && !serverBuildIsStale()) process.exit(0);
  const started = performance.now();
  await buildServer();
  console.log(`Built the server and the CLI into dist/ in ${Math.round(performance.now() - started)} ms.`);
}
