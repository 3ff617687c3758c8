/**
 * The SQL Hitch sends into pg-boss's own tables and functions, through
 * pg-boss's connection (its `getDb()`), kept here with the rest of the SQL.
 * `schema` is pg-boss's schema name, quoted here.
 */
export interface PgBossDb {
  executeSql(text: string, values: unknown[]): Promise<{ rows: unknown[] }>;
}

/** Serialises queue creation across instances (pg-boss attaches a partition per queue with ALTER TABLE). */
export async function createQueueUnderLock(
  db: PgBossDb,
  schema: string,
  lockId: bigint,
  name: string,
  settings: object,
): Promise<void> {
  await db.executeSql(
    `with turn as (select pg_advisory_xact_lock(${lockId})) select ${quoteIdent(schema)}.create_queue($1, $2::json) from turn`,
    [name, JSON.stringify(settings)],
  );
}

/** True when a job of `name` with this singleton key is waiting or running. */
export async function isQueuedOrActive(
  db: PgBossDb,
  schema: string,
  name: string,
  singletonKey: string,
): Promise<boolean> {
  const { rows } = await db.executeSql(
    `select 1 from ${quoteIdent(schema)}.job where name = $1 and singleton_key = $2 and state < 'completed' limit 1`,
    [name, singletonKey],
  );
  return rows.length > 0;
}

/** Jobs due and waiting per queue, and how long the oldest has waited. */
export async function waitingJobs(
  db: PgBossDb,
  schema: string,
): Promise<Array<{ name: string; waiting: number; lagMs: number }>> {
  const { rows } = await db.executeSql(
    `select name,
            count(*)::int as waiting,
            coalesce(extract(epoch from now() - min(start_after)) * 1000, 0)::float8 as lag_ms
       from ${quoteIdent(schema)}.job
      where state in ('created', 'retry') and start_after <= now()
      group by name`,
    [],
  );
  return (rows as Array<{ name: string; waiting: number; lag_ms: number }>).map((r) => ({
    name: r.name,
    waiting: r.waiting,
    lagMs: Math.max(0, Math.round(r.lag_ms)),
  }));
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
