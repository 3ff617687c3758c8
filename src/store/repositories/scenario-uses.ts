import type { Kysely } from 'kysely';
import type { Database } from '../schema.ts';

export type UsedBy = Array<{ scenarioId: string; name: string }>;

/** Which scenarios use which connections and keys: one indexed table, written with the scenario. */
export class UsesRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async usedBy(kind: 'connection' | 'key', refIds: string[]): Promise<Map<string, UsedBy>> {
    const out = new Map<string, UsedBy>();
    if (refIds.length === 0) return out;
    const rows = await this.db
      .selectFrom('scenario_uses')
      .innerJoin('scenarios', 'scenarios.id', 'scenario_uses.scenario_id')
      .select(['scenario_uses.ref_id as refId', 'scenarios.id as scenarioId', 'scenarios.name as name'])
      .where('scenario_uses.kind', '=', kind)
      .where('scenario_uses.ref_id', 'in', refIds)
      .orderBy('scenarios.id')
      .execute();
    for (const row of rows) {
      const list = out.get(row.refId) ?? [];
      list.push({ scenarioId: row.scenarioId, name: row.name });
      out.set(row.refId, list);
    }
    return out;
  }
}
