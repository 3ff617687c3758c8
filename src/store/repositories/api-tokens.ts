import type { Kysely } from 'kysely';
import type { PointRead } from '../point-read.ts';
import type { ApiTokenRow, Database } from '../schema.ts';

export interface ApiTokenListing {
  id: string;
  name: string;
  createdAt: number;
  lastUsedAt: number | null;
  expiresAt: number | null;
  /** JSON, as stored. */
  restrictions: string | null;
}

const RESOLVE_COLUMNS = ['id', 'user_id', 'name', 'last_used_at', 'expires_at', 'restrictions'] as const;
type ResolveRow = Pick<ApiTokenRow, (typeof RESOLVE_COLUMNS)[number]>;

/** The only SQL about personal API tokens; a token is found by its SHA-256, never stored itself. */
export class ApiTokensRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly point: PointRead,
  ) {}

  async insert(row: ApiTokenRow): Promise<void> {
    await this.db.insertInto('api_tokens').values(row).execute();
  }

  /** One keyset page of the user's tokens, by id. */
  async listOfUser(userId: string, page: { cursor?: string | undefined; limit: number }): Promise<ApiTokenListing[]> {
    let query = this.db
      .selectFrom('api_tokens')
      .select([
        'id',
        'name',
        'created_at as createdAt',
        'last_used_at as lastUsedAt',
        'expires_at as expiresAt',
        'restrictions',
      ])
      .where('user_id', '=', userId)
      .orderBy('id')
      .limit(page.limit);
    if (page.cursor) query = query.where('id', '>', page.cursor);
    return query.execute();
  }

  /** False when the user has no token with this id. */
  async deleteOfUser(userId: string, id: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('api_tokens')
      .where('id', '=', id)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  /** Every proxied call authenticates this way: a prepared point read, not a compiled query. */
  async byHash(tokenHash: string): Promise<ResolveRow | undefined> {
    return (await this.point.byId('api_tokens', 'token_hash', tokenHash, RESOLVE_COLUMNS)) as ResolveRow | undefined;
  }

  /** A token by id, for a call that runs later on its behalf (an approved agent's write). */
  async byId(id: string): Promise<ResolveRow | undefined> {
    return this.db.selectFrom('api_tokens').select(RESOLVE_COLUMNS).where('id', '=', id).executeTakeFirst();
  }

  async markUsed(id: string, at: number): Promise<void> {
    await this.db.updateTable('api_tokens').set({ last_used_at: at }).where('id', '=', id).execute();
  }
}
