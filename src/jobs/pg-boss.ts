import PgBoss from 'pg-boss';
import type { Logger } from '../log.ts';
import { createQueueUnderLock, isQueuedOrActive as queuedOrActive, waitingJobs } from '../store/pg-boss-tables.ts';
import type { JobHandler, Jobs, QueueStats } from './types.ts';

/**
 * `Jobs` on pg-boss: the queue lives in PostgreSQL, so with N instances each job
 * runs once, a failed job retries with exponential backoff, and a job queued by
 * an instance that then dies is done by another.
 *
 * Recurring jobs are not pg-boss cron schedules (those have minute resolution,
 * and the refresh sweep runs every few seconds). Instead every instance offers a
 * job at the start of each period with a throttle key of that period
 * (`singletonSeconds`): PostgreSQL's unique index lets exactly one offer in, and
 * the queue's `stately` policy keeps at most one run active and one waiting.
 */
export interface PgBossJobsOptions {
  connectionString: string;
  /** pg-boss keeps its tables in this schema. Default `pgboss`. */
  schema?: string;
  log: Logger;
  /** False on HITCH_ROLE=web: queue jobs, but run none here. Default true. */
  runWorkers?: boolean;
  /** How often an idle worker looks for new jobs. Default 2. */
  pollingIntervalSeconds?: number;
  /** Defaults for `handle` (the in-process defaults: 2 retries, 1 s apart then doubling). */
  retryLimit?: number;
  retryDelayMs?: number;
  /** How long `stop` waits for running handlers before failing them back to the queue. Default 30 000. */
  stopTimeoutMs?: number;
}

export const DEFAULT_JOBS_SCHEMA = 'pgboss';

/** An advisory lock key of our own ("hitch-qu" in ASCII), serialising queue creation across instances. */
const QUEUE_CREATION_LOCK = 7_523_672_622_797_517_173n;
/** Connections pg-boss keeps to PostgreSQL, beside the store's pool. */
const JOBS_POOL_SIZE = 4;
/** A recurring run may take this many periods (at least a minute) before pg-boss gives up on it; a crashed instance's run blocks no longer. */
const RECURRING_EXPIRY_PERIODS = 3;

interface Recurring {
  periodS: number;
  handler: JobHandler<void>;
}

interface OneOff {
  handler: JobHandler;
  retryLimit: number;
  retryDelayMs: number;
}

/** What a job carries: the payload wrapped, so any JSON value (not only objects) can travel. */
interface Envelope {
  payload: unknown;
}

export function createPgBossJobs(options: PgBossJobsOptions): Jobs {
  const log = options.log.child({ component: 'jobs' });
  const schema = options.schema ?? DEFAULT_JOBS_SCHEMA;
  const runWorkers = options.runWorkers ?? true;
  const pollingIntervalSeconds = options.pollingIntervalSeconds ?? 2;
  const boss = new PgBoss({
    connectionString: options.connectionString,
    schema,
    max: JOBS_POOL_SIZE,
    application_name: 'hitch-jobs',
    // No cron: recurring jobs are throttled sends (see above).
    schedule: false,
  });
  // pg-boss reports background trouble (a lost connection, a failed maintenance) as events; unheard, they would crash the process.
  boss.on('error', (error: unknown) => log.error({ err: error }, 'job queue error'));

  const recurring = new Map<string, Recurring>();
  const handlers = new Map<string, OneOff>();
  const queues = new Map<string, Promise<void>>();
  const beforeStart: Array<{ send: () => void; cancel: (error: Error) => void }> = [];
  const timers = new Set<NodeJS.Timeout>();
  const workerIds = new Map<string, string>();
  const controller = new AbortController();
  let state: 'registering' | 'starting' | 'started' | 'stopped' = 'registering';

  const context = { signal: controller.signal };

  /** Creates a queue once per process; pg-boss's create is idempotent across instances. */
  function ensureQueue(name: string, queue: Omit<PgBoss.Queue, 'name'> = {}): Promise<void> {
    let created = queues.get(name);
    if (!created) {
      created = createQueueLocked(name, queue);
      queues.set(name, created);
      created.catch(() => queues.delete(name));
    }
    return created;
  }

  /**
   * pg-boss gives each queue a partition of its job table, attached with ALTER
   * TABLE; instances creating queues at the same moment deadlock on that parent
   * table. One advisory lock, held for the statement, lets them take turns.
   */
  async function createQueueLocked(name: string, queue: Omit<PgBoss.Queue, 'name'>): Promise<void> {
    if (await boss.getQueue(name)) return;
    const settings = {
      policy: queue.policy ?? 'standard',
      retryLimit: queue.retryLimit,
      retryDelay: queue.retryDelay,
      retryBackoff: queue.retryBackoff,
      expireInSeconds: queue.expireInSeconds,
    };
    await createQueueUnderLock(boss.getDb(), schema, QUEUE_CREATION_LOCK, name, settings);
  }

  async function startRecurring(name: string, { periodS, handler }: Recurring): Promise<void> {
    await ensureQueue(name, {
      policy: 'stately',
      retryLimit: 0,
      expireInSeconds: Math.max(60, periodS * RECURRING_EXPIRY_PERIODS),
    });
    const workerId = await boss.work<Envelope>(name, { pollingIntervalSeconds, batchSize: 1 }, async () => {
      try {
        await handler(undefined, context);
      } catch (error) {
        log.error({ err: error, job: name }, 'recurring job failed');
        throw error;
      }
    });
    workerIds.set(name, workerId);
    const offer = async () => {
      if (state !== 'started') return;
      try {
        const id = await boss.sendThrottled(name, { payload: null }, {}, periodS);
        // The instance that got its offer in runs it now rather than at its next poll.
        if (id) boss.notifyWorker(workerId);
      } catch (error) {
        // stop() may have run while the offer was out; TypeScript keeps the narrowing from before the await.
        // oxlint-disable-next-line typescript/no-unnecessary-condition -- state changes during the await
        if (state === 'started') log.warn({ err: error, job: name }, 'could not offer a recurring job');
      }
    };
    // Offer at the start of each period (plus a little jitter), when a new throttle slot opens.
    const periodMs = periodS * 1000;
    const tick = () => {
      void offer();
      later(periodMs - (Date.now() % periodMs) + Math.floor(Math.random() * 50), tick);
    };
    tick();
  }

  function later(delayMs: number, fn: () => void): void {
    const timer = setTimeout(() => {
      timers.delete(timer);
      fn();
    }, delayMs);
    timer.unref();
    timers.add(timer);
  }

  async function startHandler(name: string, entry: OneOff): Promise<void> {
    const queue = {
      policy: 'standard' as const,
      retryLimit: entry.retryLimit,
      retryDelay: Math.max(1, Math.round(entry.retryDelayMs / 1000)),
      retryBackoff: true,
    };
    await ensureQueue(name, queue);
    // The queue may have been created first by an enqueue with default settings; these are the handler's.
    await boss.updateQueue(name, { name, ...queue });
    const workerId = await boss.work<Envelope>(name, { pollingIntervalSeconds, batchSize: 1 }, async (jobs) => {
      for (const job of jobs) {
        try {
          await entry.handler(job.data.payload, context);
        } catch (error) {
          log.warn(
            { err: error, job: name, jobId: job.id },
            'job failed; pg-boss retries it with backoff while retries remain',
          );
          throw error;
        }
      }
    });
    workerIds.set(name, workerId);
  }

  async function send(
    name: string,
    payload: unknown,
    enqueueOptions: { delayMs?: number; singletonKey?: string },
  ): Promise<void> {
    const entry = handlers.get(name);
    await ensureQueue(name, {
      policy: 'standard',
      retryLimit: entry?.retryLimit ?? options.retryLimit ?? 2,
      retryDelay: Math.max(1, Math.round((entry?.retryDelayMs ?? options.retryDelayMs ?? 1000) / 1000)),
      retryBackoff: true,
    });
    const { singletonKey, delayMs } = enqueueOptions;
    if (singletonKey !== undefined && (await isQueuedOrActive(name, singletonKey))) return;
    await boss.send(name, { payload } satisfies Envelope, {
      ...(singletonKey !== undefined ? { singletonKey } : {}),
      ...(delayMs ? { startAfter: new Date(Date.now() + delayMs) } : {}),
    });
  }

  /**
   * pg-boss dedupes keys only under queue policies that also serialise every
   * job without a key, so a job with a key looks first. Two sends racing past
   * this check make a duplicate run at worst, which handlers tolerate anyway:
   * pg-boss delivers at least once.
   */
  function isQueuedOrActive(name: string, singletonKey: string): Promise<boolean> {
    return queuedOrActive(boss.getDb(), schema, name, singletonKey);
  }

  return {
    every(name, intervalMs, handler) {
      if (recurring.has(name)) throw new TypeError(`The recurring job ${name} is registered twice.`);
      // Throttle slots are whole seconds.
      const entry = { periodS: Math.max(1, Math.round(intervalMs / 1000)), handler };
      recurring.set(name, entry);
      if (runWorkers && state === 'started')
        void startRecurring(name, entry).catch((error: unknown) =>
          log.error({ err: error, job: name }, 'could not start a recurring job'),
        );
    },

    handle(name, handler, handlerOptions = {}) {
      if (handlers.has(name)) throw new TypeError(`The job ${name} has two handlers.`);
      const entry: OneOff = {
        handler: handler as JobHandler,
        retryLimit: handlerOptions.retryLimit ?? options.retryLimit ?? 2,
        retryDelayMs: handlerOptions.retryDelayMs ?? options.retryDelayMs ?? 1000,
      };
      handlers.set(name, entry);
      if (runWorkers && state === 'started')
        void startHandler(name, entry).catch((error: unknown) =>
          log.error({ err: error, job: name }, 'could not start a job handler'),
        );
    },

    async enqueue(name, payload, enqueueOptions = {}) {
      if (state === 'stopped') throw new TypeError(`Job ${name} was queued after jobs stopped.`);
      if (state !== 'started') {
        // Kept until start has connected; the job is durable once start returns.
        await new Promise<void>((resolve, reject) =>
          beforeStart.push({
            send: () => void send(name, payload, enqueueOptions).then(resolve, reject),
            cancel: reject,
          }),
        );
        return;
      }
      await send(name, payload, enqueueOptions);
    },

    async start() {
      if (state !== 'registering') return;
      state = 'starting';
      // pg-boss creates or upgrades its schema under an advisory lock, so instances starting together are safe.
      await boss.start();
      state = 'started';
      if (runWorkers) {
        for (const [name, entry] of handlers) await startHandler(name, entry);
        for (const [name, entry] of recurring) await startRecurring(name, entry);
      }
      for (const waiting of beforeStart.splice(0)) waiting.send();
    },

    async stop() {
      const wasStarted = state === 'started' || state === 'starting';
      state = 'stopped';
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      controller.abort();
      for (const waiting of beforeStart.splice(0))
        waiting.cancel(new TypeError('Jobs stopped before they started; the job was not queued.'));
      // Graceful: running handlers finish (they see the aborted signal); any still running at the timeout go back to the queue.
      if (wasStarted)
        await boss.stop({ graceful: true, wait: true, close: true, timeout: options.stopTimeoutMs ?? 30_000 });
    },

    async stats(): Promise<QueueStats[]> {
      if (state !== 'started') return [];
      const byName = new Map<string, QueueStats>((await waitingJobs(boss.getDb(), schema)).map((r) => [r.name, r]));
      // Every known queue appears, idle ones with zeros, so a dashboard sees them all.
      for (const name of [...recurring.keys(), ...handlers.keys()])
        if (!byName.has(name)) byName.set(name, { name, waiting: 0, lagMs: 0 });
      return [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
    },
  };
}
