import type { Kysely } from 'kysely';

/**
 * When a connection's credentials were last renewed (a refresh, a new session),
 * for its page's "last renewal". Connections that exist keep null: their last
 * renewal is in the audit trail but not worth a backfill.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('connections').addColumn('last_renewed_at', 'bigint').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('connections').dropColumn('last_renewed_at').execute();
}
