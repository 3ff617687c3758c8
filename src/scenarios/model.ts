import type { ExecutionRow, ExecutionStatus, ExecutionTrigger, ScenarioRow } from '../store/schema.ts';

/** One step of a scenario, as people write it. */
export interface ScenarioModule {
  /** Positive whole number, unique in the scenario; later modules map `{{<id>.path}}`. */
  id: number;
  app: string;
  module: string;
  connectionId?: string;
  keyId?: string;
  inputs: Record<string, unknown>;
}

export interface ScenarioView {
  id: string;
  teamId: string;
  name: string;
  active: boolean;
  schedule: { intervalMinutes: number } | null;
  modules: ScenarioModule[];
  pausedReason: string | null;
  nextRunAt: string | null;
  createdAt: string;
  updatedAt: string;
}

/** What one module did in a run: never a token, key or authorization header. */
export interface ModuleRecord {
  id: number;
  status: 'success' | 'error' | 'skipped';
  output?: unknown;
  error?: { code: string; message: string };
  /** The HTTP exchange, without credentials: method, URL with secrets removed, status and time. */
  request?: { method: string; url: string; status: number; ms: number };
}

export interface ExecutionView {
  id: string;
  /** Null for an agent's tool call. */
  scenarioId: string | null;
  trigger: ExecutionTrigger;
  status: ExecutionStatus;
  startedAt: string;
  finishedAt: string | null;
  modules: ModuleRecord[];
  error?: { code: string; message: string };
}

export function parseModules(row: Pick<ScenarioRow, 'modules'>): ScenarioModule[] {
  return JSON.parse(row.modules) as ScenarioModule[];
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function presentScenario(row: ScenarioRow): ScenarioView {
  return {
    id: row.id,
    teamId: row.team_id,
    name: row.name,
    active: row.active === 1,
    schedule: row.interval_minutes === null ? null : { intervalMinutes: row.interval_minutes },
    modules: parseModules(row),
    pausedReason: row.paused_reason,
    nextRunAt: iso(row.next_run_at),
    createdAt: iso(row.created_at)!,
    updatedAt: iso(row.updated_at)!,
  };
}

export function presentExecution(row: ExecutionRow): ExecutionView {
  return {
    id: row.id,
    scenarioId: row.scenario_id,
    trigger: row.trigger,
    status: row.status,
    startedAt: iso(row.started_at)!,
    finishedAt: iso(row.finished_at),
    modules: JSON.parse(row.modules) as ModuleRecord[],
    ...(row.error ? { error: JSON.parse(row.error) as { code: string; message: string } } : {}),
  };
}

/** The connections and keys a scenario's modules name, for the uses table. */
export function usesOf(modules: ScenarioModule[]): Array<{ kind: 'connection' | 'key'; refId: string }> {
  const seen = new Set<string>();
  const out: Array<{ kind: 'connection' | 'key'; refId: string }> = [];
  for (const m of modules) {
    for (const [kind, refId] of [
      ['connection', m.connectionId],
      ['key', m.keyId],
    ] as const) {
      if (refId && !seen.has(`${kind}:${refId}`)) {
        seen.add(`${kind}:${refId}`);
        out.push({ kind, refId });
      }
    }
  }
  return out;
}
