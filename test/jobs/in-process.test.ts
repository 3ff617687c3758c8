import { afterEach, describe, expect, it } from 'vitest';
import { createInProcessJobs } from '../../src/jobs/in-process.ts';
import type { Jobs } from '../../src/jobs/types.ts';
import { createLogger } from '../../src/log.ts';

/** A promise and its resolver, to wait for events instead of sleeping. */
function deferred<T = void>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

const log = createLogger('silent');
let jobs: Jobs;
afterEach(async () => {
  await jobs.stop();
});

describe('in-process jobs', () => {
  it('runs a recurring job at start and again, never two runs at once', async () => {
    jobs = createInProcessJobs({ log });
    let running = 0;
    let overlapped = false;
    let runs = 0;
    const thirdRun = deferred();
    jobs.every('sweep', 1, async () => {
      running += 1;
      if (running > 1) overlapped = true;
      // Each run outlasts the interval many times over.
      await new Promise((r) => setTimeout(r, 20));
      running -= 1;
      runs += 1;
      if (runs === 3) thirdRun.resolve();
    });
    await jobs.start();
    await thirdRun.promise;
    expect(overlapped).toBe(false);
  });

  it('keeps a recurring job going after a run fails', async () => {
    jobs = createInProcessJobs({ log });
    let runs = 0;
    const second = deferred();
    jobs.every('flaky', 1, async () => {
      runs += 1;
      if (runs === 1) throw new Error('first run fails');
      second.resolve();
    });
    await jobs.start();
    await second.promise;
    expect(runs).toBeGreaterThanOrEqual(2);
  });

  it('runs one-off jobs with their payload, after their delay, including jobs queued before start', async () => {
    jobs = createInProcessJobs({ log });
    const seen: string[] = [];
    const both = deferred();
    jobs.handle<{ id: string }>('notify', async ({ id }) => {
      seen.push(id);
      if (seen.length === 2) both.resolve();
    });
    await jobs.enqueue('notify', { id: 'early' });
    await jobs.start();
    const queuedAt = Date.now();
    await jobs.enqueue('notify', { id: 'delayed' }, { delayMs: 30 });
    await both.promise;
    expect(seen).toEqual(['early', 'delayed']);
    // Timers never fire early; the margin covers Date.now()'s millisecond rounding.
    expect(Date.now() - queuedAt).toBeGreaterThanOrEqual(28);
  });

  it('retries a failing job with growing delays, up to the limit', async () => {
    const lines: string[] = [];
    jobs = createInProcessJobs({ log: createLogger('info', { write: (line: string) => void lines.push(line) }) });
    const attempts: number[] = [];
    const done = deferred();
    jobs.handle(
      'refresh',
      async () => {
        attempts.push(Date.now());
        if (attempts.length === 4) done.resolve();
        throw new Error('service down');
      },
      { retryLimit: 3, retryDelayMs: 10 },
    );
    await jobs.start();
    await jobs.enqueue('refresh', {});
    await done.promise;
    // No fifth attempt: stop() returns with nothing pending or running.
    await jobs.stop();
    expect(attempts).toHaveLength(4);
    const records = lines.map((l) => JSON.parse(l) as { msg: string; retryInMs?: number; job?: string });
    expect(records.filter((r) => r.msg === 'job failed; retrying').map((r) => r.retryInMs)).toEqual([10, 20, 40]);
    expect(records.filter((r) => r.msg === 'job failed for good')).toEqual([
      expect.objectContaining({ job: 'refresh', attempts: 4 }),
    ]);
  });

  it('queues a job once per singleton key while it waits', async () => {
    jobs = createInProcessJobs({ log });
    const payloads: number[] = [];
    const ran = deferred();
    jobs.handle<number>('renew', async (n) => {
      payloads.push(n);
      ran.resolve();
    });
    await jobs.enqueue('renew', 1, { singletonKey: 'connection-1', delayMs: 20 });
    await jobs.enqueue('renew', 2, { singletonKey: 'connection-1' });
    await jobs.start();
    await ran.promise;
    await jobs.stop();
    expect(payloads).toEqual([1]);
  });

  it('on stop, signals running handlers and waits for them to return', async () => {
    jobs = createInProcessJobs({ log });
    const started = deferred();
    let finished = false;
    jobs.every('long', 60_000, async (_payload, { signal }) => {
      started.resolve();
      await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve()));
      finished = true;
    });
    await jobs.start();
    await started.promise;
    await jobs.stop();
    expect(finished).toBe(true);
  });
});
