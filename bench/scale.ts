import { fork } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { openBenchWorld, startTokenEndpoint } from './world.ts';
import { percentile, round, type BenchContext, type Figure } from './figures.ts';

/**
 * Many connections: seed them (encrypted secrets and all), then the list page
 * (50 rows filtered by app) p95, the due-for-refresh query, the database size,
 * and the process's resident memory. Goals are absolute, from the issue.
 */
export async function manyConnections(ctx: BenchContext, kind: 'sqlite' | 'postgres'): Promise<Figure[]> {
  const count = ctx.size === 'tiny' ? 2_000 : ctx.size === 'quick' ? 100_000 : 1_000_000;
  const endpoint = await startTokenEndpoint();
  const world = await openBenchWorld(kind, endpoint.url);
  try {
    let lastShown = 0;
    const started = performance.now();
    await world.seed(count, {
      onProgress: (done) => {
        if (done - lastShown >= count / 10 || done === count) {
          lastShown = done;
          ctx.log(
            `  seeding ${kind}: ${done.toLocaleString('en')} / ${count.toLocaleString('en')} (${round((performance.now() - started) / 1000, 1)} s)`,
          );
        }
      },
    });
    if (kind === 'postgres') await sql`analyze connections`.execute(world.store.db);
    // Timings and memory come from a fresh process serving the seeded data, not from this one.
    const probe = fork(
      path.join(path.dirname(fileURLToPath(import.meta.url)), 'servers', 'scale-probe.ts'),
      [
        kind,
        kind === 'sqlite' ? world.sqliteFile! : world.pgSchema!,
        world.masterKeyBase64,
        world.teamId,
        endpoint.url,
        String(ctx.size === 'tiny' ? 20 : 200),
      ],
      {
        execArgv: ['--import', 'tsx'],
        stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
      },
    );
    const measured = await new Promise<{ list: number[]; due: number[]; rssMb: number }>((resolve, reject) => {
      probe.once('message', (m) => resolve(m as { list: number[]; due: number[]; rssMb: number }));
      probe.once('exit', (code) => reject(new Error(`the scale probe exited with ${String(code)}`)));
    });
    probe.kill();
    const samples = measured.list.sort((a, b) => a - b);
    const due = measured.due.sort((a, b) => a - b);
    let sizeBytes: number;
    if (kind === 'sqlite') {
      sizeBytes = ['', '-wal']
        .map((s) => `${world.sqliteFile!}${s}`)
        .filter((f) => fs.existsSync(f))
        .reduce((n, f) => n + fs.statSync(f).size, 0);
    } else {
      const r = await sql<{
        size: string;
      }>`select sum(pg_total_relation_size(quote_ident(table_name)))::text as size from information_schema.tables where table_schema = current_schema()`.execute(
        world.store.db,
      );
      sizeBytes = Number(r.rows[0]?.size ?? 0);
    }
    const rssMb = measured.rssMb;
    const n = count.toLocaleString('en');
    const p95 = percentile(samples, 95);
    const dueMs = percentile(due, 50);
    ctx.log(
      `${n} connections (${kind}): list p95 ${round(p95)} ms, due query ${round(dueMs)} ms, ${round(sizeBytes / 1e6, 1)} MB, rss ${round(rssMb, 0)} MB`,
    );
    return [
      {
        name: `list page p95, ${n} connections (${kind})`,
        value: round(p95),
        unit: 'ms',
        baseline: null,
        ratio: null,
        goal: '< 20 ms',
        pass: p95 < 20,
      },
      {
        name: `due-for-refresh query, ${n} connections (${kind})`,
        value: round(dueMs),
        unit: 'ms',
        baseline: null,
        ratio: null,
        goal: '< 10 ms',
        pass: dueMs < 10,
      },
      {
        name: `database size, ${n} connections (${kind})`,
        value: round(sizeBytes / 1e6, 1),
        unit: 'MB',
        baseline: null,
        ratio: null,
        goal: 'reported',
        pass: true,
      },
      {
        name: `resident memory of a process serving ${n} connections (${kind})`,
        value: round(rssMb, 0),
        unit: 'MB',
        baseline: null,
        ratio: null,
        goal: '< 200 MB',
        pass: rssMb < 200,
      },
    ];
  } finally {
    await world.close();
    await endpoint.close();
  }
}
