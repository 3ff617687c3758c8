/**
 * One interface for background work. On SQLite it runs in this process; on
 * PostgreSQL (scale-out) pg-boss runs it once across all instances.
 */
export interface JobContext {
  /** Aborted when the process stops; long handlers should check it between batches. */
  signal: AbortSignal;
}

export type JobHandler<P = unknown> = (payload: P, context: JobContext) => Promise<void>;

/** One queue's backlog, for the metrics endpoint. */
export interface QueueStats {
  name: string;
  /** Jobs whose time has come and that no handler has taken yet. */
  waiting: number;
  /** How long the oldest waiting job has waited past its start time, ms (0 when none waits). */
  lagMs: number;
}

export interface Jobs {
  /** Registers a recurring singleton: at most one run at a time (across instances, on PostgreSQL). */
  every(name: string, intervalMs: number, handler: JobHandler<void>): void;
  /** Registers the handler for one-off jobs of `name`. */
  handle<P>(name: string, handler: JobHandler<P>, options?: { retryLimit?: number; retryDelayMs?: number }): void;
  /** Queues a one-off job, optionally delayed. Failures retry with exponential backoff up to retryLimit. */
  enqueue(name: string, payload: unknown, options?: { delayMs?: number; singletonKey?: string }): Promise<void>;
  start(): Promise<void>;
  /** Stops taking work and waits for running handlers to finish (or the signal to abort them). */
  stop(): Promise<void>;
  /** The backlog by queue (across all instances on PostgreSQL). */
  stats?(): Promise<QueueStats[]>;
}
