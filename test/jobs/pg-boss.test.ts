import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { createPgBossJobs, type PgBossJobsOptions } from '../../src/jobs/pg-boss.ts';
import type { Jobs } from '../../src/jobs/types.ts';
import { createLogger } from '../../src/log.ts';
import { TEST_PG_URL } from '../helpers/store.ts';

function deferred<T = void>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

const log = createLogger('silent');
const open: Jobs[] = [];
const schemas: string[] = [];

afterEach(async () => {
  await Promise.all(open.splice(0).map((j) => j.stop()));
  const client = new pg.Client({ connectionString: TEST_PG_URL });
  await client.connect();
  for (const schema of schemas.splice(0)) await client.query(`drop schema if exists ${schema} cascade`);
  await client.end();
});

function newSchema(): string {
  const schema = `hitch_jobs_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  schemas.push(schema);
  return schema;
}

/** One "instance": its own pg-boss, on the shared queue schema. */
function instance(schema: string, options: Partial<PgBossJobsOptions> = {}): Jobs {
  const jobs = createPgBossJobs({
    connectionString: TEST_PG_URL,
    schema,
    log,
    pollingIntervalSeconds: 0.5,
    stopTimeoutMs: 5000,
    ...options,
  });
  open.push(jobs);
  return jobs;
}

describe('pg-boss jobs', () => {
  it(
    'runs a recurring job once per period across three instances, never two runs at once',
    { timeout: 30_000 },
    async () => {
      const schema = newSchema();
      const runs: Array<{ instance: number; startedAt: number }> = [];
      let running = 0;
      let overlapped = false;
      const enough = deferred();
      const instances = [0, 1, 2].map((n) => {
        const jobs = instance(schema);
        jobs.every('sweep', 1000, async () => {
          running += 1;
          if (running > 1) overlapped = true;
          runs.push({ instance: n, startedAt: Date.now() });
          await new Promise((r) => setTimeout(r, 50));
          running -= 1;
          if (runs.length === 5) enough.resolve();
        });
        return jobs;
      });
      await Promise.all(instances.map((j) => j.start()));
      await enough.promise;
      await Promise.all(instances.map((j) => j.stop()));

      expect(overlapped).toBe(false);
      // One job per one-second slot, although three instances offered it: read from the queue itself,
      // since a run may start in the second after its slot when a worker polls late.
      const client = new pg.Client({ connectionString: TEST_PG_URL });
      await client.connect();
      const { rows } = await client.query<{ n: string; slots: string }>(
        `select count(*) as n, count(distinct singleton_on) as slots from ${schema}.job where name = 'sweep'`,
      );
      await client.end();
      expect(Number(rows[0]!.n)).toBeGreaterThanOrEqual(5);
      expect(Number(rows[0]!.n)).toBe(Number(rows[0]!.slots));
    },
  );

  it(
    'hands a job queued by a web instance to a worker instance, retrying failures with backoff',
    { timeout: 30_000 },
    async () => {
      const schema = newSchema();
      const web = instance(schema, { runWorkers: false });
      const worker = instance(schema);
      const attempts: string[] = [];
      const done = deferred();
      let webRan = false;
      web.handle<{ to: string }>('deliver', async () => {
        webRan = true;
      });
      worker.handle<{ to: string }>(
        'deliver',
        async ({ to }) => {
          attempts.push(to);
          if (attempts.length < 3) throw new Error('receiver is down');
          done.resolve();
        },
        { retryLimit: 3, retryDelayMs: 1000 },
      );
      await web.start();
      await worker.start();
      await web.enqueue('deliver', { to: 'https://example.com/hook' });
      await done.promise;
      expect(attempts).toEqual(['https://example.com/hook', 'https://example.com/hook', 'https://example.com/hook']);
      expect(webRan).toBe(false);
    },
  );

  it('keeps a queued job across a restart: queued by one process, done by the next', { timeout: 30_000 }, async () => {
    const schema = newSchema();
    const first = instance(schema);
    await first.start();
    await first.enqueue('report', 'weekly');
    await first.stop();

    const second = instance(schema);
    const seen = deferred<string>();
    second.handle<string>('report', async (payload) => seen.resolve(payload));
    await second.start();
    expect(await seen.promise).toBe('weekly');
  });

  it('queues one job per singletonKey while it waits, and reports the backlog', { timeout: 30_000 }, async () => {
    const schema = newSchema();
    const jobs = instance(schema, { runWorkers: false });
    await jobs.start();
    await jobs.enqueue('notify', { n: 1 }, { singletonKey: 'conn-1' });
    await jobs.enqueue('notify', { n: 2 }, { singletonKey: 'conn-1' });
    await jobs.enqueue('notify', { n: 3 }, { singletonKey: 'conn-2' });
    await jobs.enqueue('notify', { n: 4 }, { delayMs: 60_000 });
    const stats = await jobs.stats!();
    // The delayed job is not due yet, so it is not backlog.
    expect(stats.find((s) => s.name === 'notify')?.waiting).toBe(2);
  });

  it('lets a running handler finish when stopping', { timeout: 30_000 }, async () => {
    const schema = newSchema();
    const jobs = instance(schema);
    const started = deferred();
    let finished = false;
    let sawAbort = false;
    jobs.handle('slow', async (_payload, { signal }) => {
      started.resolve();
      await new Promise((r) => setTimeout(r, 300));
      sawAbort = signal.aborted;
      finished = true;
    });
    await jobs.start();
    await jobs.enqueue('slow', null);
    await started.promise;
    await jobs.stop();
    expect(finished).toBe(true);
    expect(sawAbort).toBe(true);
  });
});
