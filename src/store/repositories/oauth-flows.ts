import type { Kysely } from 'kysely';
import type { Database, OAuthFlowRow } from '../schema.ts';

export class OAuthFlowsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(row: OAuthFlowRow): Promise<void> {
    await this.db.insertInto('oauth_flows').values(row).execute();
  }

  async peek(stateHash: string): Promise<OAuthFlowRow | undefined> {
    return this.db.selectFrom('oauth_flows').selectAll().where('state_hash', '=', stateHash).executeTakeFirst();
  }

  /**
   * Takes the flow out in one statement, so exactly one callback — on any
   * instance — can use a state.
   */
  async consume(stateHash: string): Promise<OAuthFlowRow | undefined> {
    return this.db.deleteFrom('oauth_flows').where('state_hash', '=', stateHash).returningAll().executeTakeFirst();
  }

  /** Flows whose ten minutes ended at or before `now`. */
  async deleteExpired(now: number): Promise<number> {
    const result = await this.db.deleteFrom('oauth_flows').where('expires_at', '<=', now).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
