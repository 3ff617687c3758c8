import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { round, type BenchContext, type Figure } from './figures.ts';
import { buildIfStale } from './product.ts';
import { IDLE_MS, median, startOnce } from './startup-probe.ts';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The packages dist/ imports (not node: builtins, not its own files): what the baseline loads too. */
function packagesOfTheBuild(dir = path.join(REPO, 'dist')): string[] {
  const found = new Set<string>();
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.js')) continue;
    const text = fs.readFileSync(path.join(entry.parentPath, entry.name), 'utf8');
    for (const m of text.matchAll(/(?:from |import\()"([^".][^"]*)"/g))
      if (!m[1]!.startsWith('node:')) found.add(m[1]!);
  }
  return [...found].sort();
}

/**
 * Start-up: spawn to the first 200 from /healthz and resident memory after idling, for
 * `node dist/main.js` on a fresh SQLite DATA_DIR (the whole catalog loaded, the database created
 * and migrated, the first admin made) beside a bare Fastify server that loads the same packages.
 * Runs interleaved, medians compared.
 */
export async function startupFigures(ctx: BenchContext): Promise<Figure[]> {
  buildIfStale();
  const runs = ctx.size === 'tiny' ? 1 : ctx.size === 'quick' ? 3 : 5;
  const packages = packagesOfTheBuild();
  const hitch = { ms: [] as number[], rss: [] as number[] };
  const bare = { ms: [] as number[], rss: [] as number[] };
  for (let i = 0; i < runs; i++) {
    const h = await startOnce(REPO, ['dist/main.js'], {
      HITCH_ADMIN_EMAIL: 'bench@example.com',
      HITCH_ADMIN_PASSWORD: 'bench-password',
    });
    hitch.ms.push(h.healthzMs);
    hitch.rss.push(h.rssMiB);
    const b = await startOnce(REPO, ['bench/servers/bare-fastify.mjs', ...packages]);
    bare.ms.push(b.healthzMs);
    bare.rss.push(b.rssMiB);
  }
  const [hMs, bMs, hRss, bRss] = [median(hitch.ms), median(bare.ms), median(hitch.rss), median(bare.rss)];
  ctx.log(
    `start-up: hitch ${round(hMs, 0)} ms, ${round(hRss, 0)} MiB; bare Fastify with the same ${packages.length} packages ${round(bMs, 0)} ms, ${round(bRss, 0)} MiB`,
  );
  return [
    {
      name: 'start-up: time to a 200 from /healthz (node dist/main.js, fresh SQLite)',
      value: round(hMs, 0),
      unit: 'ms',
      baseline: round(bMs, 0),
      ratio: round(bMs / hMs),
      goal: 'reported beside a bare Fastify server loading the same packages',
      pass: true,
    },
    {
      name: `start-up: resident memory after ${IDLE_MS / 1000} s idle, whole catalog loaded`,
      value: round(hRss, 1),
      unit: 'MiB',
      baseline: round(bRss, 1),
      ratio: round(bRss / hRss),
      goal: '< 200 MB, reported beside the bare server',
      pass: hRss * 1.048576 < 200,
    },
  ];
}
