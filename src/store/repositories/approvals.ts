import type { Kysely } from 'kysely';
import type { ApprovalRow, Database } from '../schema.ts';

/** The only SQL about agents' approvals. Reads a person triggers name their teams; an agent's name its token. */
export class ApprovalsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(row: ApprovalRow): Promise<void> {
    await this.db.insertInto('approvals').values(row).execute();
  }

  async byIdInTeams(id: string, teamIds: readonly string[]): Promise<ApprovalRow | undefined> {
    if (teamIds.length === 0) return undefined;
    return this.db
      .selectFrom('approvals')
      .selectAll()
      .where('id', '=', id)
      .where('team_id', 'in', teamIds)
      .executeTakeFirst();
  }

  async byIdOfToken(id: string, tokenId: string): Promise<ApprovalRow | undefined> {
    return this.db
      .selectFrom('approvals')
      .selectAll()
      .where('id', '=', id)
      .where('token_id', '=', tokenId)
      .executeTakeFirst();
  }

  /** Newest first; `pending` lists only those still open at `now`. */
  async list(
    teamIds: readonly string[],
    filter: { status?: 'pending'; now: number; before?: string; limit: number },
  ): Promise<ApprovalRow[]> {
    if (teamIds.length === 0) return [];
    let query = this.db.selectFrom('approvals').selectAll().where('team_id', 'in', teamIds);
    if (filter.status === 'pending') query = query.where('status', '=', 'pending').where('expires_at', '>', filter.now);
    if (filter.before) query = query.where('id', '<', filter.before);
    return query.orderBy('id', 'desc').limit(filter.limit).execute();
  }

  /**
   * Decides a pending approval that has not expired; false when it was decided
   * already or expired. One statement, so of two admins deciding at once, one wins
   * and an approved call runs once.
   */
  async decide(id: string, decision: { status: 'approved' | 'denied'; by: string; at: number }): Promise<boolean> {
    const result = await this.db
      .updateTable('approvals')
      .set({ status: decision.status, decided_by: decision.by, decided_at: decision.at })
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .where('expires_at', '>', decision.at)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async recordOutcome(id: string, outcome: { outcome: string; executionId: string | null }): Promise<void> {
    await this.db
      .updateTable('approvals')
      .set({ outcome: outcome.outcome, execution_id: outcome.executionId })
      .where('id', '=', id)
      .execute();
  }
}
