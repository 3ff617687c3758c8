import type { Kysely } from 'kysely';

/**
 * Scoped API tokens: a token may carry restrictions (a team, connections,
 * endpoint grants per connection, read-only) as JSON, and an expiry. Tokens
 * that exist keep both null: unrestricted and without expiry, as they were.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('api_tokens').addColumn('expires_at', 'bigint').execute();
  await db.schema.alterTable('api_tokens').addColumn('restrictions', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('api_tokens').dropColumn('restrictions').execute();
  await db.schema.alterTable('api_tokens').dropColumn('expires_at').execute();
}
