import pg from 'pg';

/** What an instance must forget: everything it cached about a user (their teams and tokens), one token, or a team's webhook. */
export type Invalidation =
  { kind: 'user'; userId: string } | { kind: 'token'; tokenId: string } | { kind: 'webhook'; teamId: string };

export type InvalidationListener = (message: Invalidation | 'all') => void;

/**
 * Tells every instance to drop what it cached about a user, a token or a team's webhook, so a
 * revoked token or a removed member stops working everywhere, not when a TTL
 * runs out. On SQLite (one process) listeners are called in place. On
 * PostgreSQL `NOTIFY` reaches every instance's `LISTEN` connection; listeners
 * of the publishing instance are also called in place, before `publish`
 * returns, so its own next request never sees the stale entry. While the
 * listening connection is down, listeners hear `'all'` (drop everything) and
 * `trusted()` is false, so caches must not be used until it is back.
 */
export interface Invalidations {
  publish(message: Invalidation): Promise<void>;
  subscribe(listener: InvalidationListener): () => void;
  /** False while a PostgreSQL instance may be missing invalidations (its listening connection is down). */
  trusted(): boolean;
  close(): Promise<void>;
}

class Listeners {
  private readonly all = new Set<InvalidationListener>();
  add(listener: InvalidationListener): () => void {
    this.all.add(listener);
    return () => this.all.delete(listener);
  }
  tell(message: Invalidation | 'all'): void {
    for (const listener of this.all) listener(message);
  }
  get size(): number {
    return this.all.size;
  }
}

export function inProcessInvalidations(): Invalidations {
  const listeners = new Listeners();
  return {
    async publish(message) {
      listeners.tell(message);
    },
    subscribe: (listener) => listeners.add(listener),
    trusted: () => true,
    async close() {},
  };
}

function isInvalidation(value: unknown): value is Invalidation {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    (v.kind === 'user' && typeof v.userId === 'string') ||
    (v.kind === 'token' && typeof v.tokenId === 'string') ||
    (v.kind === 'webhook' && typeof v.teamId === 'string')
  );
}

const RECONNECT_MS = 1_000;

/**
 * LISTEN/NOTIFY on a channel of the schema's own (tests share one server in
 * separate schemas). The listening connection opens with the first listener.
 */
export function postgresInvalidations(url: string, pool: pg.Pool, options: { schema?: string } = {}): Invalidations {
  const channel = `hitch_invalidate${options.schema ? `_${options.schema}` : ''}`.slice(0, 63);
  const listeners = new Listeners();
  let client: pg.Client | undefined;
  let connected = false;
  let closed = false;
  let retry: NodeJS.Timeout | undefined;

  const lost = () => {
    connected = false;
    listeners.tell('all');
    client?.removeAllListeners();
    client?.end().catch(() => undefined);
    client = undefined;
    if (!closed && !retry) retry = setTimeout(() => void listen(), RECONNECT_MS);
  };

  async function listen(): Promise<void> {
    retry = undefined;
    if (closed || client) return;
    const next = new pg.Client({ connectionString: url });
    client = next;
    next.on('error', lost);
    next.on('end', () => {
      if (client === next) lost();
    });
    next.on('notification', (note) => {
      if (note.channel !== channel || !note.payload) return;
      try {
        const message: unknown = JSON.parse(note.payload);
        if (isInvalidation(message)) listeners.tell(message);
      } catch {
        // Not ours to read: ignore.
      }
    });
    try {
      await next.connect();
      await next.query(`LISTEN "${channel.replace(/"/g, '""')}"`);
      // Whatever happened while no one listened is unknown: start clean.
      listeners.tell('all');
      connected = true;
    } catch {
      if (client === next) lost();
    }
  }

  return {
    async publish(message) {
      listeners.tell(message);
      await pool.query('select pg_notify($1, $2)', [channel, JSON.stringify(message)]);
    },
    subscribe(listener) {
      const remove = listeners.add(listener);
      if (!client && !retry) void listen();
      return remove;
    },
    trusted: () => connected,
    async close() {
      closed = true;
      if (retry) clearTimeout(retry);
      const current = client;
      client = undefined;
      current?.removeAllListeners();
      await current?.end().catch(() => undefined);
    },
  };
}
