import { afterEach, describe, expect, it } from 'vitest';
import { newId } from '../../src/ids.ts';
import { openOld, type OldStore } from '../helpers/old-store.ts';

/**
 * Migration 0006 rebuilds the executions table so an agent's tool call can be
 * one without a scenario: every earlier execution survives with its scenario,
 * a `manual` run reads `run`, and deleting a scenario still deletes its runs.
 */
describe.each(['sqlite', 'postgres'] as const)('migration 0006-agent-approvals on %s', (dialect) => {
  let old: OldStore | undefined;
  afterEach(async () => {
    await old?.destroy();
    old = undefined;
  });

  it('keeps every execution, calls manual runs run, and takes executions without a scenario', async () => {
    old = await openOld(dialect);
    await old.migrateTo('0005-token-restrictions');
    const db = old.store.db;
    const now = Date.now();
    const teamId = newId(now);
    const scenarioId = newId(now + 1);
    await db.insertInto('teams').values({ id: teamId, name: 'T', created_at: now }).execute();
    await db
      .insertInto('scenarios')
      .values({
        id: scenarioId,
        team_id: teamId,
        name: 'S',
        active: 0,
        interval_minutes: null,
        modules: '[]',
        paused_reason: null,
        next_run_at: null,
        created_by: null,
        created_at: now,
        updated_at: now,
      })
      .execute();
    const execution = (id: string, trigger: string) => ({
      id,
      scenario_id: scenarioId,
      team_id: teamId,
      trigger: trigger as 'run',
      status: 'success' as const,
      started_at: now,
      finished_at: now + 5,
      modules: '[{"id":1,"status":"success"}]',
      error: null,
    });
    const manual = newId(now + 2);
    const scheduled = newId(now + 3);
    await db
      .insertInto('executions')
      .values([execution(manual, 'manual'), execution(scheduled, 'schedule')])
      .execute();

    await old.migrateTo();

    const rows = await db.selectFrom('executions').selectAll().orderBy('id').execute();
    expect(rows.map((r) => [r.id, r.scenario_id, r.trigger, r.modules, Number(r.finished_at)])).toEqual([
      [manual, scenarioId, 'run', '[{"id":1,"status":"success"}]', now + 5],
      [scheduled, scenarioId, 'schedule', '[{"id":1,"status":"success"}]', now + 5],
    ]);
    const toolCall = newId(now + 4);
    await db
      .insertInto('executions')
      .values({ ...execution(toolCall, 'mcp'), scenario_id: null, trigger: 'mcp' })
      .execute();
    await db.deleteFrom('scenarios').where('id', '=', scenarioId).execute();
    expect((await db.selectFrom('executions').select('id').execute()).map((r) => r.id)).toEqual([toolCall]);
  });
});
