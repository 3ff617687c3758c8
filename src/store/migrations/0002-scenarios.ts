import type { Kysely } from 'kysely';

/**
 * Scenarios, what they use (connections and keys, for `usedBy` and the 409 on
 * delete), their executions, and the keychain. Schedules live on the scenario
 * row (`next_run_at`), so a restart loses nothing.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('scenarios')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('team_id', 'text', (c) => c.notNull().references('teams.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('interval_minutes', 'integer')
    .addColumn('modules', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('paused_reason', 'text')
    .addColumn('next_run_at', 'bigint')
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('scenarios_team').on('scenarios').columns(['team_id', 'id']).execute();
  // The schedule sweep reads only what is due.
  await db.schema.createIndex('scenarios_next_run').on('scenarios').column('next_run_at').execute();

  await db.schema
    .createTable('scenario_uses')
    .addColumn('scenario_id', 'text', (c) => c.notNull().references('scenarios.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('ref_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('scenario_uses_pk', ['scenario_id', 'kind', 'ref_id'])
    .execute();
  await db.schema.createIndex('scenario_uses_ref').on('scenario_uses').columns(['ref_id', 'kind']).execute();

  await db.schema
    .createTable('executions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('scenario_id', 'text', (c) => c.notNull().references('scenarios.id').onDelete('cascade'))
    .addColumn('team_id', 'text', (c) => c.notNull())
    .addColumn('trigger', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('started_at', 'bigint', (c) => c.notNull())
    .addColumn('finished_at', 'bigint')
    .addColumn('modules', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('error', 'text')
    .execute();
  await db.schema.createIndex('executions_scenario').on('executions').columns(['scenario_id', 'id']).execute();
  await db.schema.createIndex('executions_started').on('executions').column('started_at').execute();

  await db.schema
    .createTable('keys')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('team_id', 'text', (c) => c.notNull().references('teams.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('parameters', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('secrets_enc', 'text')
    .addColumn('fingerprint', 'text')
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('keys_team').on('keys').columns(['team_id', 'type', 'id']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['keys', 'executions', 'scenario_uses', 'scenarios'])
    await db.schema.dropTable(table).ifExists().execute();
}
