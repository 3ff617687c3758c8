import type { Catalog } from '../catalog/catalog.ts';
import type { Caller } from '../connections/change-rights.ts';
import { HitchError, invalidField } from '../errors.ts';
import { newId } from '../ids.ts';
import type { ConnectionsRepository } from '../store/repositories/connections.ts';
import type { ExecutionTrigger, ScenarioRow } from '../store/schema.ts';
import type { Audit } from './audit.ts';
import { parseModules, presentExecution, presentScenario, type ExecutionView, type ScenarioView } from './model.ts';
import type { ModuleRegistry } from './modules/registry.ts';
import { scenarioPermissions, type ConnectionPermissions } from './permissions.ts';
import { patternOf, scenarioEndpoints } from './endpoint-grants.ts';
import type { EndpointPattern } from '../connections/grants.ts';
import type { ScenariosRepository } from '../store/repositories/scenarios.ts';
import type { Runner } from './runner.ts';
import { checkModules, type ValidationLookups } from './validate.ts';

export const SCENARIO_NAME_MAX = 128;
/** A month: longer intervals are better served by a calendar than by a timer. */
export const INTERVAL_MINUTES_MAX = 44_640;
const LIST_LIMIT_MAX = 100;
const MINUTE_MS = 60_000;

export interface ScenarioInput {
  teamId: string;
  name?: unknown;
  modules?: unknown;
  schedule?: unknown;
  active?: unknown;
}

const notFound = () => new HitchError('not_found', { message: 'There is no such scenario in your teams.' });

function checkName(name: unknown): string {
  if (typeof name !== 'string' || name.trim().length < 1 || name.trim().length > SCENARIO_NAME_MAX)
    throw invalidField('name', `The name must be 1 to ${SCENARIO_NAME_MAX} characters long.`);
  return name.trim();
}

function checkSchedule(schedule: unknown): number | null {
  if (schedule === null) return null;
  const interval =
    typeof schedule === 'object' && !Array.isArray(schedule) && 'intervalMinutes' in schedule
      ? schedule.intervalMinutes
      : undefined;
  if (typeof interval !== 'number' || !Number.isInteger(interval) || interval < 1 || interval > INTERVAL_MINUTES_MAX) {
    throw invalidField(
      'schedule.intervalMinutes',
      `schedule.intervalMinutes must be a whole number of minutes from 1 to ${INTERVAL_MINUTES_MAX}, or schedule null to run only on demand.`,
    );
  }
  return interval;
}

function checkActive(active: unknown): boolean {
  if (typeof active !== 'boolean') throw invalidField('active', 'active must be true or false.');
  return active;
}

function nextRunAt(active: boolean, intervalMinutes: number | null, now: number): number | null {
  return active && intervalMinutes !== null ? now + intervalMinutes * MINUTE_MS : null;
}

/** Scenarios as people manage them: save (validated), permissions, runs, executions, replacing a connection. */
export class ScenariosService {
  constructor(
    private readonly deps: {
      scenarios: ScenariosRepository;
      connections: ConnectionsRepository;
      registry: ModuleRegistry;
      catalog: Catalog;
      lookups: ValidationLookups;
      runner: Runner;
      audit: Audit;
    },
  ) {}

  async find(caller: Caller, id: string): Promise<ScenarioRow> {
    const row = await this.deps.scenarios.byIdInTeams(id, caller.teamIds);
    if (!row) throw notFound();
    return row;
  }

  async get(caller: Caller, id: string): Promise<ScenarioView> {
    return presentScenario(await this.find(caller, id));
  }

  async list(filter: {
    teamIds: string[];
    cursor?: string;
    limit?: number;
  }): Promise<{ items: ScenarioView[]; nextCursor: string | null }> {
    const limit = Math.min(Math.max(filter.limit ?? 50, 1), LIST_LIMIT_MAX);
    const rows = await this.deps.scenarios.list({
      teamIds: filter.teamIds,
      ...(filter.cursor ? { after: filter.cursor } : {}),
      limit: limit + 1,
    });
    const page = rows.slice(0, limit);
    return { items: page.map(presentScenario), nextCursor: rows.length > limit ? page[page.length - 1]!.id : null };
  }

  async create(caller: Caller, input: ScenarioInput): Promise<ScenarioView> {
    const name = checkName(input.name);
    const modules = await checkModules(input.modules ?? [], input.teamId, this.deps.lookups);
    const interval = input.schedule === undefined ? null : checkSchedule(input.schedule);
    const active = input.active === undefined ? false : checkActive(input.active);
    const now = Date.now();
    const id = newId(now);
    await this.deps.scenarios.insert({
      id,
      team_id: input.teamId,
      name,
      active: active ? 1 : 0,
      interval_minutes: interval,
      modules: JSON.stringify(modules),
      paused_reason: null,
      next_run_at: nextRunAt(active, interval, now),
      created_by: caller.userId,
      created_at: now,
      updated_at: now,
    });
    await this.deps.audit.record(
      input.teamId,
      'scenario.created',
      { userId: caller.userId },
      `Scenario "${name}" was created.`,
    );
    return this.get(caller, id);
  }

  async update(caller: Caller, id: string, input: Omit<ScenarioInput, 'teamId'>): Promise<ScenarioView> {
    const row = await this.find(caller, id);
    const now = Date.now();
    const changes: Partial<
      Pick<ScenarioRow, 'name' | 'modules' | 'interval_minutes' | 'active' | 'paused_reason' | 'next_run_at'>
    > & { updated_at: number } = { updated_at: now };
    if (input.name !== undefined) changes.name = checkName(input.name);
    if (input.modules !== undefined)
      changes.modules = JSON.stringify(await checkModules(input.modules, row.team_id, this.deps.lookups));
    const interval = input.schedule === undefined ? row.interval_minutes : checkSchedule(input.schedule);
    const active = input.active === undefined ? row.active === 1 : checkActive(input.active);
    if (input.schedule !== undefined || input.active !== undefined) {
      changes.interval_minutes = interval;
      changes.active = active ? 1 : 0;
      // Turning on (again) starts a fresh interval and clears why it was paused.
      const keepsTiming = row.active === 1 && active && interval === row.interval_minutes;
      changes.next_run_at = keepsTiming ? row.next_run_at : nextRunAt(active, interval, now);
      if (active) changes.paused_reason = null;
    }
    await this.deps.scenarios.update(id, changes);
    await this.deps.audit.record(
      row.team_id,
      'scenario.updated',
      { userId: caller.userId },
      `Scenario "${changes.name ?? row.name}" was changed.`,
    );
    return this.get(caller, id);
  }

  async delete(caller: Caller, id: string): Promise<void> {
    const row = await this.find(caller, id);
    await this.deps.scenarios.delete(id);
    await this.deps.audit.record(
      row.team_id,
      'scenario.deleted',
      { userId: caller.userId },
      `Scenario "${row.name}" was deleted.`,
    );
  }

  /** Derived each time from the modules and the connections: never stored twice. */
  async permissions(caller: Caller, id: string): Promise<{ ok: boolean; connections: ConnectionPermissions[] }> {
    const row = await this.find(caller, id);
    const modules = parseModules(row);
    const ids = [...new Set(modules.map((m) => m.connectionId).filter((c): c is string => Boolean(c)))];
    const rows = (await Promise.all(ids.map((c) => this.deps.connections.byIdInTeams(c, [row.team_id])))).filter(
      (r) => r !== undefined,
    );
    const connections = scenarioPermissions(modules, rows, this.deps.registry, this.deps.catalog);
    return { ok: connections.every((c) => c.missing.length === 0), connections };
  }

  /** The scenario's endpoint grant on each connection it uses, for a token that copies it; undefined outside `teamIds`. */
  async endpointGrants(
    teamIds: string[],
    id: string,
  ): Promise<{ teamId: string; connections: Map<string, EndpointPattern[]> } | undefined> {
    const row = await this.deps.scenarios.byIdInTeams(id, teamIds);
    if (!row) return undefined;
    const endpoints = scenarioEndpoints(parseModules(row), this.deps.registry);
    return {
      teamId: row.team_id,
      connections: new Map([...endpoints].map(([connectionId, granted]) => [connectionId, granted.map(patternOf)])),
    };
  }

  async run(caller: Caller, id: string, inputs: unknown): Promise<ExecutionView> {
    if (inputs !== undefined && (inputs === null || typeof inputs !== 'object' || Array.isArray(inputs)))
      throw invalidField('inputs', 'inputs must be an object.');
    const row = await this.find(caller, id);
    const { execution, refused } = await this.deps.runner.run(row, {
      trigger: 'run',
      inputs: (inputs ?? {}) as Record<string, unknown>,
      actor: { userId: caller.userId },
    });
    if (refused)
      throw new HitchError(refused.code, {
        message: refused.message,
        details: { ...refused.details, executionId: execution.id },
      });
    return execution;
  }

  async executions(
    caller: Caller,
    id: string,
    page: { cursor?: string; limit?: number },
  ): Promise<{ items: ExecutionView[]; nextCursor: string | null }> {
    await this.find(caller, id);
    const limit = Math.min(Math.max(page.limit ?? 50, 1), LIST_LIMIT_MAX);
    const rows = await this.deps.scenarios.executions(id, {
      ...(page.cursor ? { before: page.cursor } : {}),
      limit: limit + 1,
    });
    const items = rows.slice(0, limit);
    return { items: items.map(presentExecution), nextCursor: rows.length > limit ? items[items.length - 1]!.id : null };
  }

  /** Newest first; the caller resolved `teamIds` to teams they are in. */
  async teamExecutions(
    teamIds: string[],
    filter: { trigger?: ExecutionTrigger; cursor?: string; limit: number },
  ): Promise<ExecutionView[]> {
    const rows = await this.deps.scenarios.executionsOfTeams(teamIds, {
      limit: filter.limit,
      ...(filter.trigger ? { trigger: filter.trigger } : {}),
      ...(filter.cursor ? { before: filter.cursor } : {}),
    });
    return rows.map(presentExecution);
  }

  /** Moves every scenario of the team from one connection to another of the same app. */
  async replaceConnection(
    caller: Caller,
    fromId: string,
    withId: unknown,
  ): Promise<{ moved: Array<{ scenarioId: string; name: string }> }> {
    const from = await this.deps.connections.byIdInTeams(fromId, caller.teamIds);
    if (!from) throw new HitchError('not_found', { message: 'There is no such connection in your teams.' });
    if (typeof withId !== 'string') throw invalidField('with', 'with must be the id of the connection to use instead.');
    const to = await this.deps.connections.byIdInTeams(withId, [from.team_id]);
    if (!to) throw invalidField('with', 'There is no such connection in this connection’s team.');
    if (to.id === from.id) throw invalidField('with', 'A connection cannot replace itself.');
    if (to.app !== from.app)
      throw invalidField(
        'with',
        `Only a connection to the same app can replace it: "${to.name}" is a connection to ${to.app}, not ${from.app}.`,
      );
    const moved: Array<{ scenarioId: string; name: string }> = [];
    for (const row of await this.deps.scenarios.usingConnection(from.team_id, from.id)) {
      const modules = parseModules(row).map((m) => (m.connectionId === from.id ? { ...m, connectionId: to.id } : m));
      await this.deps.scenarios.update(row.id, { modules: JSON.stringify(modules), updated_at: Date.now() });
      moved.push({ scenarioId: row.id, name: row.name });
    }
    await this.deps.audit.record(
      from.team_id,
      'connection.replaced',
      { userId: caller.userId },
      `Connection "${from.name}" was replaced by "${to.name}" in ${moved.length} scenario${moved.length === 1 ? '' : 's'}.`,
      from.id,
    );
    return { moved };
  }
}
