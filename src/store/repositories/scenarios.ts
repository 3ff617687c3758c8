import type { Kysely, Updateable } from 'kysely';
import type {
  Database,
  ExecutionRow,
  ExecutionsTable,
  ExecutionTrigger,
  ScenarioRow,
  ScenariosTable,
} from '../schema.ts';
import { usesOf, type ScenarioModule } from '../../scenarios/model.ts';

/** The only SQL about scenarios and their executions. Reads a person triggers are scoped by team. */
export class ScenariosRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Inserts the scenario and what it uses, together. */
  async insert(row: ScenarioRow): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      await tx.insertInto('scenarios').values(row).execute();
      await writeUses(tx, row.id, JSON.parse(row.modules) as ScenarioModule[]);
    });
  }

  async byId(id: string): Promise<ScenarioRow | undefined> {
    return this.db.selectFrom('scenarios').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async byIdInTeams(id: string, teamIds: string[]): Promise<ScenarioRow | undefined> {
    if (teamIds.length === 0) return undefined;
    return this.db
      .selectFrom('scenarios')
      .selectAll()
      .where('id', '=', id)
      .where('team_id', 'in', teamIds)
      .executeTakeFirst();
  }

  async list(filter: { teamIds: string[]; after?: string; limit: number }): Promise<ScenarioRow[]> {
    if (filter.teamIds.length === 0) return [];
    let query = this.db.selectFrom('scenarios').selectAll().where('team_id', 'in', filter.teamIds);
    if (filter.after) query = query.where('id', '>', filter.after);
    return query.orderBy('id').limit(filter.limit).execute();
  }

  /** Updates the row; when modules change, what it uses changes in the same transaction. */
  async update(id: string, changes: Updateable<ScenariosTable>): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      await tx.updateTable('scenarios').set(changes).where('id', '=', id).execute();
      if (typeof changes.modules === 'string') {
        await tx.deleteFrom('scenario_uses').where('scenario_id', '=', id).execute();
        await writeUses(tx, id, JSON.parse(changes.modules) as ScenarioModule[]);
      }
    });
  }

  async delete(id: string): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      await tx.deleteFrom('scenario_uses').where('scenario_id', '=', id).execute();
      await tx.deleteFrom('executions').where('scenario_id', '=', id).execute();
      await tx.deleteFrom('scenarios').where('id', '=', id).execute();
    });
  }

  /** Scenarios of a team whose modules use a connection. */
  async usingConnection(teamId: string, connectionId: string): Promise<ScenarioRow[]> {
    return this.db
      .selectFrom('scenarios')
      .selectAll()
      .where('team_id', '=', teamId)
      .where('id', 'in', (eb) =>
        eb
          .selectFrom('scenario_uses')
          .select('scenario_id')
          .where('kind', '=', 'connection')
          .where('ref_id', '=', connectionId),
      )
      .orderBy('id')
      .execute();
  }

  // --- schedule ------------------------------------------------------------

  async due(now: number, limit: number): Promise<Array<Pick<ScenarioRow, 'id' | 'next_run_at'>>> {
    return this.db
      .selectFrom('scenarios')
      .select(['id', 'next_run_at'])
      .where('next_run_at', '<=', now)
      .where('active', '=', 1)
      .orderBy('next_run_at')
      .limit(limit)
      .execute();
  }

  /**
   * Claims one due run: moves `next_run_at` on only if nobody did since it was
   * read, so across instances sharing the database exactly one runs it.
   */
  async claimRun(id: string, seen: number, next: number): Promise<boolean> {
    const result = await this.db
      .updateTable('scenarios')
      .set({ next_run_at: next })
      .where('id', '=', id)
      .where('next_run_at', '=', seen)
      .where('active', '=', 1)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  // --- executions ----------------------------------------------------------

  async insertExecution(row: ExecutionRow): Promise<void> {
    await this.db.insertInto('executions').values(row).execute();
  }

  async updateExecution(id: string, changes: Updateable<ExecutionsTable>): Promise<void> {
    await this.db.updateTable('executions').set(changes).where('id', '=', id).execute();
  }

  /** Newest first. */
  async executions(scenarioId: string, filter: { before?: string; limit: number }): Promise<ExecutionRow[]> {
    let query = this.db.selectFrom('executions').selectAll().where('scenario_id', '=', scenarioId);
    if (filter.before) query = query.where('id', '<', filter.before);
    return query.orderBy('id', 'desc').limit(filter.limit).execute();
  }

  /** Newest first, across teams. */
  async executionsOfTeams(
    teamIds: readonly string[],
    filter: { trigger?: ExecutionTrigger; before?: string; limit: number },
  ): Promise<ExecutionRow[]> {
    if (teamIds.length === 0) return [];
    let query = this.db.selectFrom('executions').selectAll().where('team_id', 'in', teamIds);
    if (filter.trigger) query = query.where('trigger', '=', filter.trigger);
    if (filter.before) query = query.where('id', '<', filter.before);
    return query.orderBy('id', 'desc').limit(filter.limit).execute();
  }

  async deleteExecutionsOlderThan(cutoff: number): Promise<number> {
    const result = await this.db.deleteFrom('executions').where('started_at', '<', cutoff).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}

async function writeUses(tx: Kysely<Database>, scenarioId: string, modules: ScenarioModule[]): Promise<void> {
  const uses = usesOf(modules);
  if (uses.length)
    await tx
      .insertInto('scenario_uses')
      .values(uses.map((u) => ({ scenario_id: scenarioId, kind: u.kind, ref_id: u.refId })))
      .execute();
}
