import type { Logger } from '../log.ts';
import type { JobHandler, Jobs, QueueStats } from './types.ts';

/**
 * `Jobs` inside this process, on timers: right for one instance on SQLite.
 *
 * Pending one-off jobs live in memory only, so a restart forgets them. That is
 * acceptable while one-off jobs are retries of work a sweep would find again;
 * the scale-out issue brings pg-boss, which keeps them in PostgreSQL.
 */
export interface InProcessJobsOptions {
  log: Logger;
  /** Defaults for `handle` (pg-boss's defaults: 2 retries, 1 s apart then doubling). */
  retryLimit?: number;
  retryDelayMs?: number;
}

interface Recurring {
  intervalMs: number;
  handler: JobHandler<void>;
}

interface OneOffHandler {
  handler: JobHandler;
  retryLimit: number;
  retryDelayMs: number;
}

interface PendingJob {
  name: string;
  payload: unknown;
  /** Failed attempts so far. */
  failures: number;
  singletonKey: string | undefined;
  runAt: number;
}

export function createInProcessJobs(options: InProcessJobsOptions): Jobs {
  const log = options.log.child({ component: 'jobs' });
  const recurring = new Map<string, Recurring>();
  const handlers = new Map<string, OneOffHandler>();
  /** Jobs not yet running: waiting for their time, for `start`, or for a handler. */
  const pending = new Set<PendingJob>();
  const active = new Set<PendingJob>();
  const timers = new Set<NodeJS.Timeout>();
  const running = new Set<Promise<void>>();
  const controller = new AbortController();
  let state: 'registering' | 'started' | 'stopped' = 'registering';

  function later(delayMs: number, fn: () => void): void {
    const timer = setTimeout(
      () => {
        timers.delete(timer);
        fn();
      },
      Math.max(0, delayMs),
    );
    // Background work alone never keeps the process alive; the server or CLI decides that.
    timer.unref();
    timers.add(timer);
  }

  function track(work: Promise<void>): Promise<void> {
    running.add(work);
    return work.finally(() => running.delete(work));
  }

  function startRecurring(name: string, { intervalMs, handler }: Recurring): void {
    const tick = async () => {
      if (state !== 'started') return;
      const startedAt = Date.now();
      // The next run is scheduled only after this one ends, so runs never overlap.
      await track(
        handler(undefined, { signal: controller.signal }).catch((error: unknown) => {
          log.error({ err: error, job: name }, 'recurring job failed');
        }),
      );
      later(intervalMs - (Date.now() - startedAt), () => void tick());
    };
    later(0, () => void tick());
  }

  function schedule(job: PendingJob): void {
    pending.add(job);
    if (state !== 'started' || !handlers.has(job.name)) return;
    later(job.runAt - Date.now(), () => void run(job));
  }

  async function run(job: PendingJob): Promise<void> {
    const entry = handlers.get(job.name);
    if (state !== 'started' || !entry || !pending.has(job)) return;
    pending.delete(job);
    active.add(job);
    await track(
      entry.handler(job.payload, { signal: controller.signal }).then(
        () => undefined,
        (error: unknown) => {
          job.failures += 1;
          if (state === 'started' && job.failures <= entry.retryLimit) {
            const delayMs = entry.retryDelayMs * 2 ** (job.failures - 1);
            log.warn({ err: error, job: job.name, attempt: job.failures, retryInMs: delayMs }, 'job failed; retrying');
            schedule({ ...job, runAt: Date.now() + delayMs });
          } else {
            log.error({ err: error, job: job.name, attempts: job.failures }, 'job failed for good');
          }
        },
      ),
    );
    active.delete(job);
  }

  return {
    every(name, intervalMs, handler) {
      if (recurring.has(name)) throw new TypeError(`The recurring job ${name} is registered twice.`);
      const entry = { intervalMs, handler };
      recurring.set(name, entry);
      if (state === 'started') startRecurring(name, entry);
    },

    handle(name, handler, handlerOptions = {}) {
      if (handlers.has(name)) throw new TypeError(`The job ${name} has two handlers.`);
      handlers.set(name, {
        handler: handler as JobHandler,
        retryLimit: handlerOptions.retryLimit ?? options.retryLimit ?? 2,
        retryDelayMs: handlerOptions.retryDelayMs ?? options.retryDelayMs ?? 1000,
      });
      for (const job of pending) if (job.name === name) schedule(job);
    },

    async enqueue(name, payload, enqueueOptions = {}) {
      if (state === 'stopped') throw new TypeError(`Job ${name} was queued after jobs stopped.`);
      const { singletonKey } = enqueueOptions;
      if (singletonKey !== undefined) {
        for (const job of [...pending, ...active]) if (job.name === name && job.singletonKey === singletonKey) return;
      }
      schedule({ name, payload, failures: 0, singletonKey, runAt: Date.now() + (enqueueOptions.delayMs ?? 0) });
    },

    async start() {
      if (state !== 'registering') return;
      state = 'started';
      for (const [name, entry] of recurring) startRecurring(name, entry);
      for (const job of [...pending]) schedule(job);
    },

    async stop() {
      if (state === 'stopped') return;
      state = 'stopped';
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      // Tell long handlers to wrap up between batches, then wait for them to return.
      controller.abort();
      while (running.size > 0) await Promise.allSettled([...running]);
      if (pending.size > 0) log.info({ jobs: pending.size }, 'pending one-off jobs dropped at stop');
    },

    async stats() {
      const now = Date.now();
      const byName = new Map<string, QueueStats>();
      for (const name of [...recurring.keys(), ...handlers.keys()]) byName.set(name, { name, waiting: 0, lagMs: 0 });
      for (const job of pending) {
        if (job.runAt > now) continue;
        const entry = byName.get(job.name) ?? { name: job.name, waiting: 0, lagMs: 0 };
        entry.waiting += 1;
        entry.lagMs = Math.max(entry.lagMs, now - job.runAt);
        byName.set(job.name, entry);
      }
      return [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
    },
  };
}
