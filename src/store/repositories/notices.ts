import type { Kysely } from 'kysely';
import type { ConnectionNoticeRow, ConnectionRow, Database } from '../schema.ts';

/** Connections needing attention, and what people were already told about them. */
export class NoticesRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /**
   * Connections that need a person: reauthorization required, failing, with a grant ending
   * before `renewByBefore`, or carrying one of a service's `deadlines` for tokens that never
   * expire. Scoped by team when `teamIds` is given.
   */
  async needingAttention(
    renewByBefore: number,
    teamIds?: string[],
    deadlines: ReadonlyArray<{ app: string; renewBy: number }> = [],
  ): Promise<ConnectionRow[]> {
    if (teamIds && teamIds.length === 0) return [];
    let query = this.db
      .selectFrom('connections')
      .selectAll()
      .where((eb) =>
        eb.or([
          eb('status', 'in', ['reauthorization_required', 'error']),
          eb.and([eb('renew_by', 'is not', null), eb('renew_by', '<=', renewByBefore), eb('status', '!=', 'pending')]),
          // A service's end of tokens that never expire is told at once, however far off.
          ...deadlines.map((d) =>
            eb.and([
              eb('app', '=', d.app),
              eb('renew_by', '=', d.renewBy),
              eb('expires_at', 'is', null),
              eb('status', '!=', 'pending'),
            ]),
          ),
        ]),
      );
    if (teamIds) query = query.where('team_id', 'in', teamIds);
    return query.orderBy('id').limit(1000).execute();
  }

  async all(): Promise<ConnectionNoticeRow[]> {
    return this.db.selectFrom('connection_notices').selectAll().execute();
  }

  /** True when this call created the notice (so this caller tells people about it). */
  async open(row: ConnectionNoticeRow): Promise<boolean> {
    const result = await this.db
      .insertInto('connection_notices')
      .values(row)
      .onConflict((oc) => oc.columns(['connection_id', 'kind']).doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  async markEmailed(connectionId: string, kind: string, at: number): Promise<void> {
    await this.db
      .updateTable('connection_notices')
      .set({ emailed_at: at })
      .where('connection_id', '=', connectionId)
      .where('kind', '=', kind)
      .execute();
  }

  async close(connectionId: string, kind: string): Promise<void> {
    await this.db
      .deleteFrom('connection_notices')
      .where('connection_id', '=', connectionId)
      .where('kind', '=', kind)
      .execute();
  }

  /** E-mail addresses of a team's owners and admins. */
  async managersOf(teamId: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('memberships')
      .innerJoin('users', 'users.id', 'memberships.user_id')
      .select('users.email as email')
      .where('memberships.team_id', '=', teamId)
      .where('memberships.role', 'in', ['owner', 'admin'])
      .execute();
    return rows.map((r) => r.email);
  }
}
