import { CompiledQuery, type Kysely } from 'kysely';
import type { DialectName, Store } from '../database.ts';
import type { SyncSteps, SyncTransaction } from '../sync-transaction.ts';
import type { PointRead } from '../point-read.ts';
import type { PostgresStatements } from '../postgres-statements.ts';
import type {
  ConnectionRow,
  ConnectionStatus,
  ConnectionUpdate,
  Database,
  EventRow,
  NewConnection,
} from '../schema.ts';

/** The columns the token path needs, and nothing it does not. */
export const CREDENTIALS_COLUMNS = [
  'id',
  'team_id',
  'app',
  'auth',
  'status',
  'data',
  'secrets_enc',
  'credentials_version',
  'expires_at',
  'next_refresh_at',
  'last_error',
] as const;
export type CredentialsRow = Pick<ConnectionRow, (typeof CREDENTIALS_COLUMNS)[number]>;

/** The values of `CREDENTIALS_COLUMNS`, in their order, as a row (SQLite's point read answers arrays). */
export function credentialsRowOf(values: readonly unknown[]): CredentialsRow {
  return {
    id: values[0] as string,
    team_id: values[1] as string,
    app: values[2] as string,
    auth: values[3] as string,
    status: values[4] as CredentialsRow['status'],
    data: values[5] as string,
    secrets_enc: values[6] as string | null,
    credentials_version: values[7] as number,
    expires_at: values[8] as number | null,
    next_refresh_at: values[9] as number | null,
    last_error: values[10] as string | null,
  };
}

export interface ConnectionFilter {
  teamIds: string[];
  /** Only these connections (a restricted token's). */
  ids?: readonly string[];
  app?: string;
  status?: ConnectionStatus;
  /** Keyset cursor: the last id of the previous page. */
  after?: string;
  limit: number;
}

/**
 * The only SQL about connections. Every read that a person triggers is scoped by
 * team; the unscoped `byId` is for background work (renewal), which has no person.
 */
export class ConnectionsRepository {
  private readonly db: Kysely<Database>;
  private readonly point: PointRead;
  private readonly dialect: DialectName;
  private readonly sync: SyncTransaction | undefined;
  private readonly statements: PostgresStatements | undefined;

  constructor(store: Pick<Store, 'db' | 'point' | 'dialect' | 'syncTransaction' | 'statements'>) {
    this.db = store.db;
    this.point = store.point;
    this.dialect = store.dialect;
    this.sync = store.syncTransaction;
    this.statements = store.statements;
  }

  async insert(row: NewConnection): Promise<void> {
    await this.db.insertInto('connections').values(row).execute();
  }

  /** What the token path reads on a cache miss: the columns it needs, by a prepared point read. */
  credentialsById(id: string): Promise<CredentialsRow | undefined> | CredentialsRow | undefined {
    if (this.point.byIdNow)
      return this.point.byIdNow('connections', 'id', id, CREDENTIALS_COLUMNS, credentialsRowOf) as
        CredentialsRow | undefined;
    return this.point.byId('connections', 'id', id, CREDENTIALS_COLUMNS) as Promise<CredentialsRow | undefined>;
  }

  /** A whole row by id, by a prepared point read. */
  async byId(id: string): Promise<ConnectionRow | undefined> {
    return (await this.point.byId('connections', 'id', id)) as ConnectionRow | undefined;
  }

  async byIdInTeams(id: string, teamIds: string[]): Promise<ConnectionRow | undefined> {
    if (teamIds.length === 0) return undefined;
    return this.db
      .selectFrom('connections')
      .selectAll()
      .where('id', '=', id)
      .where('team_id', 'in', teamIds)
      .executeTakeFirst();
  }

  async list(filter: ConnectionFilter): Promise<ConnectionRow[]> {
    if (filter.teamIds.length === 0 || filter.ids?.length === 0) return [];
    let query = this.db.selectFrom('connections').selectAll().where('team_id', 'in', filter.teamIds);
    if (filter.ids) query = query.where('id', 'in', filter.ids);
    if (filter.app) query = query.where('app', '=', filter.app);
    if (filter.status) query = query.where('status', '=', filter.status);
    if (filter.after) query = query.where('id', '>', filter.after);
    return query.orderBy('id').limit(filter.limit).execute();
  }

  async update(id: string, changes: ConnectionUpdate): Promise<void> {
    await this.db.updateTable('connections').set(changes).where('id', '=', id).execute();
  }

  /** Stores new credentials and bumps their version, so caches and waiters see the change. */
  async bumpCredentials(id: string, changes: ConnectionUpdate): Promise<void> {
    await this.db
      .updateTable('connections')
      .set((eb) => ({ ...changes, credentials_version: eb('credentials_version', '+', 1) }))
      .where('id', '=', id)
      .execute();
  }

  /** Updates only while the caller still holds the refresh lease it claimed with `until`. */
  async updateWhereLease(id: string, until: number, changes: ConnectionUpdate): Promise<boolean> {
    const result = await this.db
      .updateTable('connections')
      .set(changes)
      .where('id', '=', id)
      .where('refreshing_until', '=', until)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /**
   * Claims the refresh lease: a conditional update that succeeds for one caller
   * across all processes sharing the database.
   */
  async claimRefreshLease(id: string, now: number, until: number): Promise<boolean> {
    const result = await this.db
      .updateTable('connections')
      .set({ refreshing_until: until })
      .where('id', '=', id)
      .where((eb) => eb.or([eb('refreshing_until', 'is', null), eb('refreshing_until', '<', now)]))
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async releaseRefreshLease(id: string, until: number): Promise<void> {
    await this.db
      .updateTable('connections')
      .set({ refreshing_until: null })
      .where('id', '=', id)
      .where('refreshing_until', '=', until)
      .execute();
  }

  /** Connections whose renewal is due, through the next-refresh index; cost follows the number due. */
  async dueForRefresh(now: number, limit: number): Promise<Array<Pick<ConnectionRow, 'id'>>> {
    return this.raw(this.db, `select id from connections where ${DUE} order by next_refresh_at limit ?`, [
      now,
      now,
      now,
      limit,
    ]);
  }

  /**
   * The sweep's claim: up to `limit` due connections, each with its refresh lease taken until `until`,
   * in one transaction, as whole rows. `abandonedLease`: the row held a lease that had lapsed (its
   * holder stopped mid-renewal). On PostgreSQL rows another instance is claiming are skipped, not waited for.
   */
  async claimDue(
    now: number,
    until: number,
    limit: number,
  ): Promise<Array<{ row: ConnectionRow; abandonedLease: boolean }>> {
    const due = `select id, refreshing_until from connections where ${DUE} order by next_refresh_at limit ?`;
    if (this.dialect === 'postgres') {
      // One statement, so one round trip: it is its own transaction.
      const rows = await this.raw<ConnectionRow & { previous_lease: number | null }>(
        this.db,
        `with due as (${due} for update skip locked) update connections set refreshing_until = ? from due where connections.id = due.id returning connections.*, due.refreshing_until as previous_lease`,
        [now, now, now, limit, until],
      );
      return rows.map(({ previous_lease, ...row }) => ({ row, abandonedLease: previous_lease !== null }));
    }
    return this.sqlite((sql) => {
      const claimed = sql.all<Pick<ConnectionRow, 'id' | 'refreshing_until'>>(due, [now, now, now, limit]);
      if (claimed.length === 0) return [];
      const rows = sql.all<ConnectionRow>(
        `update connections set refreshing_until = ? where id in (${claimed.map(() => '?').join(', ')}) returning *`,
        [until, ...claimed.map((c) => c.id)],
      );
      const lapsed = new Set(claimed.filter((c) => c.refreshing_until !== null).map((c) => c.id));
      return rows.map((row) => ({ row, abandonedLease: lapsed.has(row.id) }));
    });
  }

  /**
   * A renewal's outcome, the moment it arrives: the new credentials (lease released, version bumped)
   * and its event, in one transaction, so neither is ever stored without the other. Returns, as stored,
   * the columns the token path places from.
   */
  async storeRenewal(id: string, changes: ConnectionUpdate, event: EventRow): Promise<CredentialsRow | undefined> {
    const set = Object.entries(changes);
    // Only what the token path places from: a whole row costs more to build than the statement does to run.
    const update = `update connections set ${set.map(([name]) => `${identifier(name)} = ?`).join(', ')}, credentials_version = credentials_version + 1 where id = ? returning ${CREDENTIALS_COLUMNS.join(', ')}`;
    const updateValues = [...set.map(([, value]) => value), id];
    const eventColumns = Object.keys(event).map(identifier);
    if (this.dialect === 'postgres') {
      // One statement (the event inserted only if the row was updated), so one round trip. Prepared: every
      // renewal runs it, and planning it anew cost the server a fifth of its CPU per renewal.
      const [row] = await this.prepared<CredentialsRow>(
        `with renewed as (${update}), logged as (insert into events (${eventColumns.join(', ')}) select ${eventColumns
          .map((name) => (name === 'at' ? '?::bigint' : '?::text'))
          .join(', ')} from renewed) select * from renewed`,
        [...updateValues, ...Object.values(event)],
      );
      return row;
    }
    return this.sqlite((sql) => {
      const [row] = sql.all<CredentialsRow>(update, updateValues);
      if (row)
        sql.run(
          `insert into events (${eventColumns.join(', ')}) values (${eventColumns.map(() => '?').join(', ')})`,
          Object.values(event),
        );
      return row;
    });
  }

  /**
   * Connections of one app's kind whose token never expires (no `expires_at`) and that have not yet
   * been given `renewBy` (the service's deadline, or an earlier one): what a service's end of such
   * tokens still has to move over. Pending and lost connections have nothing to move.
   */
  async withoutExpiry(app: string, auth: string, deadline: number, limit: number): Promise<ConnectionRow[]> {
    return this.db
      .selectFrom('connections')
      .selectAll()
      .where('app', '=', app)
      .where('auth', '=', auth)
      .where('expires_at', 'is', null)
      .where('status', 'in', ['active', 'error'])
      .where((eb) => eb.or([eb('renew_by', 'is', null), eb('renew_by', '>', deadline)]))
      .orderBy('id')
      .limit(limit)
      .execute();
  }

  /**
   * Sets a deadline on a connection whose token never expires, once: true only for the caller that
   * set it, so what follows (an event, a notice) happens exactly once across processes.
   */
  async setDeadline(id: string, deadline: number, now: number): Promise<boolean> {
    const result = await this.db
      .updateTable('connections')
      .set({ renew_by: deadline, updated_at: now })
      .where('id', '=', id)
      .where('expires_at', 'is', null)
      .where((eb) => eb.or([eb('renew_by', 'is', null), eb('renew_by', '>', deadline)]))
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** How many connections are in each status, for the metrics endpoint. */
  async countByStatus(): Promise<Array<{ status: ConnectionStatus; count: number }>> {
    const rows = await this.db
      .selectFrom('connections')
      .select((eb) => ['status', eb.fn.countAll<number | string>().as('count')])
      .groupBy('status')
      .execute();
    return rows.map((r) => ({ status: r.status, count: Number(r.count) }));
  }

  async delete(id: string): Promise<void> {
    await this.db.deleteFrom('connections').where('id', '=', id).execute();
  }

  /** Unfinished flows left by a closed window. */
  async deletePendingOlderThan(cutoff: number): Promise<number> {
    const result = await this.db
      .deleteFrom('connections')
      .where('status', '=', 'pending')
      .where('created_at', '<', cutoff)
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  /**
   * The sweep's statements, written as SQL once: Kysely builds and compiles a query anew on every
   * call, which costs more than running these one-row statements. `?` placeholders, numbered for PostgreSQL.
   */
  private sqlite<T>(steps: (sql: SyncSteps) => T): Promise<T> {
    if (!this.sync) throw new Error('This SQLite store has no synchronous transactions.');
    return this.sync(steps);
  }

  /** One statement on its own, prepared on PostgreSQL when the store can (the raw query otherwise). */
  private async prepared<R>(text: string, parameters: readonly unknown[]): Promise<R[]> {
    if (this.statements) return this.statements.query<R>(numbered(text), parameters);
    return this.raw<R>(this.db, text, parameters);
  }

  private async raw<R>(executor: Kysely<Database>, text: string, parameters: readonly unknown[]): Promise<R[]> {
    const compiled = CompiledQuery.raw(this.dialect === 'postgres' ? numbered(text) : text, [...parameters]);
    return (await executor.executeQuery<R>(compiled)).rows;
  }
}

/** Due for renewal at `now` (given three times): active (or failing), not cooling down after a failure, and no live lease. */
const DUE =
  "next_refresh_at <= ? and status in ('active', 'error') and (retry_at is null or retry_at <= ?) and (refreshing_until is null or refreshing_until < ?)";

/** A column name from code, checked anyway since it is spliced into SQL. */
function identifier(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new TypeError(`not an identifier: ${name}`);
  return name;
}

const numberedTexts = new Map<string, string>();
/** `?` placeholders as PostgreSQL's `$1, $2, …` (the statements here hold no `?` of their own). */
function numbered(text: string): string {
  let out = numberedTexts.get(text);
  if (out === undefined) {
    let n = 0;
    out = text.replace(/\?/g, () => `$${++n}`);
    if (numberedTexts.size < 1000) numberedTexts.set(text, out);
  }
  return out;
}
