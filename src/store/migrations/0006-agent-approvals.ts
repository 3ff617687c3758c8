import { sql, type Kysely } from 'kysely';

/**
 * Agents (the MCP server): a tool call is an execution of its own, so an
 * execution's scenario becomes optional and its trigger says what started it
 * (`run`, `schedule` or `mcp`; the `manual` of earlier runs is a `run`). A
 * token created with `approval: "writes"` leaves each write as an approval a
 * team admin decides; the call runs once, on approval, and its outcome waits
 * here for the agent to read.
 *
 * SQLite cannot drop a NOT NULL in place, so the executions table is rebuilt
 * the same way on both databases.
 */
const COLUMNS = ['id', 'scenario_id', 'team_id', 'trigger', 'status', 'started_at', 'finished_at', 'modules', 'error'];

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('executions_next')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('scenario_id', 'text', (c) => c.references('scenarios.id').onDelete('cascade'))
    .addColumn('team_id', 'text', (c) => c.notNull())
    .addColumn('trigger', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('started_at', 'bigint', (c) => c.notNull())
    .addColumn('finished_at', 'bigint')
    .addColumn('modules', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('error', 'text')
    .execute();
  const columns = sql.join(COLUMNS.map((c) => sql.ref(c)));
  await sql`insert into executions_next (${columns}) select ${columns} from executions`.execute(db);
  await db.schema.dropTable('executions').execute();
  await db.schema.alterTable('executions_next').renameTo('executions').execute();
  await sql`update executions set trigger = 'run' where trigger = 'manual'`.execute(db);
  await db.schema.createIndex('executions_scenario').on('executions').columns(['scenario_id', 'id']).execute();
  await db.schema.createIndex('executions_started').on('executions').column('started_at').execute();
  await db.schema.createIndex('executions_team').on('executions').columns(['team_id', 'id']).execute();

  await db.schema
    .createTable('approvals')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('team_id', 'text', (c) => c.notNull().references('teams.id').onDelete('cascade'))
    .addColumn('connection_id', 'text', (c) => c.notNull().references('connections.id').onDelete('cascade'))
    .addColumn('token_id', 'text', (c) => c.notNull().references('api_tokens.id').onDelete('cascade'))
    .addColumn('token_name', 'text', (c) => c.notNull())
    .addColumn('tool', 'text', (c) => c.notNull())
    .addColumn('method', 'text', (c) => c.notNull())
    .addColumn('path', 'text', (c) => c.notNull())
    .addColumn('arguments', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('decided_by', 'text')
    .addColumn('decided_at', 'bigint')
    .addColumn('outcome', 'text')
    .addColumn('execution_id', 'text')
    .execute();
  await db.schema.createIndex('approvals_team').on('approvals').columns(['team_id', 'status', 'id']).execute();
  await db.schema.createIndex('approvals_token').on('approvals').columns(['token_id', 'id']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('approvals').execute();
  await sql`delete from executions where scenario_id is null`.execute(db);
  await sql`update executions set trigger = 'manual' where trigger = 'run'`.execute(db);
  await db.schema.dropIndex('executions_team').execute();
}
