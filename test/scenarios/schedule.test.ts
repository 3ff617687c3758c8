import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startSharedOAuthServer } from '../connections/harness.ts';
import { dialects } from '../helpers/store.ts';
import type { OAuthServer } from '../peers/oauth-server.ts';
import { startHttpPeer, type Peer } from './peers.ts';
import { openScenarioWorld, scopedApp, type ScenarioWorld } from './world.ts';

/** Schedules live in the database: a new instance on the same store picks them up, and runs each once. */
describe.each(dialects)('scheduled scenarios on $name', ({ open }) => {
  let server: OAuthServer;
  let service: Peer;
  let w: ScenarioWorld;
  let scenarioId: string;

  beforeAll(async () => {
    server = await startSharedOAuthServer();
    service = await startHttpPeer(() => ({ status: 200, body: { ok: true } }));
    w = await openScenarioWorld(open, {
      server,
      app: scopedApp(server, service.origin),
      env: { HITCH_RETENTION_DAYS: '7' },
    });
  });
  afterAll(async () => {
    await w.close();
    await service.close();
    await server.close();
  });

  const executions = () =>
    w.store.db.selectFrom('executions').selectAll().where('scenario_id', '=', scenarioId).execute();

  it('runs an active scheduled scenario after a restart, once, and sets the next run', async () => {
    const created = await w.api('POST', '/api/v1/scenarios', {
      name: 'Every minute',
      active: true,
      schedule: { intervalMinutes: 1 },
      modules: [{ id: 1, app: 'http', module: 'make-request', inputs: { url: `${service.origin}/tick` } }],
    });
    expect(created.status).toBe(201);
    scenarioId = created.body.id;
    expect(Date.parse(created.body.nextRunAt)).toBeGreaterThan(Date.now());

    // The run fell due while Hitch was down; a new instance on the same store finds it.
    await w.store.db
      .updateTable('scenarios')
      .set({ next_run_at: Date.now() - 5_000 })
      .where('id', '=', scenarioId)
      .execute();
    await w.restart({ jobs: true, scheduleSweepMs: 20 });
    await vi.waitFor(async () => expect((await executions()).filter((e) => e.status === 'success')).toHaveLength(1), {
      timeout: 10_000,
      interval: 20,
    });
    const [execution] = await executions();
    expect(execution!.trigger).toBe('schedule');
    expect(service.received.map((r) => r.url)).toEqual(['/tick']);
    const row = await w.store.db
      .selectFrom('scenarios')
      .selectAll()
      .where('id', '=', scenarioId)
      .executeTakeFirstOrThrow();
    expect(row.next_run_at).toBeGreaterThan(Date.now());
  });

  it('runs a due scenario once when two instances sweep at the same moment', async () => {
    await w.restart({ jobs: false });
    const first = w.hitch;
    const second = await w.spawn();
    await w.store.db
      .updateTable('scenarios')
      .set({ next_run_at: Date.now() - 1 })
      .where('id', '=', scenarioId)
      .execute();
    const before = (await executions()).length;
    const ran = await Promise.all([first.scenarios.runDue(), second.scenarios.runDue(), first.scenarios.runDue()]);
    expect(ran.reduce((a, b) => a + b, 0)).toBe(1);
    expect((await executions()).length).toBe(before + 1);
  });

  it('keeps executions HITCH_RETENTION_DAYS days', async () => {
    const old = Date.now() - 8 * 24 * 60 * 60_000;
    await w.store.db
      .insertInto('executions')
      .values({
        id: '01000000-0000-7000-8000-000000000001',
        scenario_id: scenarioId,
        team_id: w.teamId,
        trigger: 'run',
        status: 'success',
        started_at: old,
        finished_at: old,
        modules: '[]',
        error: null,
      })
      .execute();
    const before = (await executions()).length;
    expect(await w.hitch.scenarios.removeOldExecutions()).toBe(1);
    expect((await executions()).length).toBe(before - 1);
  });

  it('does not run an inactive scenario', async () => {
    expect((await w.api('PATCH', `/api/v1/scenarios/${scenarioId}`, { active: false })).body).toMatchObject({
      active: false,
      nextRunAt: null,
    });
    await w.store.db
      .updateTable('scenarios')
      .set({ next_run_at: Date.now() - 1 })
      .where('id', '=', scenarioId)
      .execute();
    expect(await w.hitch.scenarios.runDue()).toBe(0);
  });
});
