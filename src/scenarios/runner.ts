import { Redactor } from '../auth/redaction.ts';
import type { Catalog } from '../catalog/catalog.ts';
import type { ConnectionClient } from '../connections/connection-client.ts';
import { HitchError, isHitchError } from '../errors.ts';
import { newId } from '../ids.ts';
import type { KeysService } from '../keys/service.ts';
import type { UsableKey } from '../keys/types.ts';
import type { Logger } from '../log.ts';
import type { Outbound, PlacedCredential } from '../outbound/types.ts';
import type { ConnectionsRepository } from '../store/repositories/connections.ts';
import type { ConnectionRow, ExecutionTrigger, ScenarioRow } from '../store/schema.ts';
import type { Audit } from './audit.ts';
import { typedInputs } from './input-values.ts';
import { resolveMappings } from './mapping.ts';
import { parseModules, presentExecution, type ExecutionView, type ModuleRecord, type ScenarioModule } from './model.ts';
import type { ModuleRegistry } from './modules/registry.ts';
import { waitFor, type Sleep } from './modules/rate-limit.ts';
import type { ModuleSpec } from './modules/types.ts';
import { scenarioPermissions } from './permissions.ts';
import { moduleGrant, scenarioEndpoints } from './endpoint-grants.ts';
import type { EndpointGrant } from '../connections/grants.ts';
import type { ScenariosRepository } from '../store/repositories/scenarios.ts';

/** An execution keeps at most this much of one module's output; mapping still sees all of it. */
const OUTPUT_RECORD_MAX_CHARS = 256 * 1024;

export type Trigger = Exclude<ExecutionTrigger, 'mcp'>;

interface Prepared {
  module: ScenarioModule;
  spec: ModuleSpec;
  key: UsableKey | undefined;
  grant: EndpointGrant | undefined;
}

/** A failure before any module ran, and the connection it concerns (for pausing). */
class PreflightError extends Error {
  constructor(
    readonly error: HitchError,
    readonly connection: ConnectionRow | undefined,
  ) {
    super(error.message);
  }
}

export interface RunnerDeps {
  scenarios: ScenariosRepository;
  connections: ConnectionsRepository;
  client: ConnectionClient;
  outbound: Outbound;
  keys: KeysService;
  registry: ModuleRegistry;
  catalog: Catalog;
  audit: Audit;
  log: Logger;
  /** How modules wait before a retry the service asked for; default: a timer (tests pass a recorder). */
  sleep?: Sleep;
}

/**
 * Runs a scenario: checks everything it needs first (no partial run when a
 * connection lacks scopes or needs reauthorization), then runs the modules in
 * order, each call through the connection core, mapping outputs forward.
 * Every run becomes an execution record without secrets: modules record what
 * they asked for (credentials are placed later, by the outbound client), and
 * the whole record then goes through a redaction of every secret the run used
 * — keys' values, connections' tokens, Basic headers — in every encoding Hitch
 * produces, since a service may echo what it received and a later module may
 * map that echo on.
 */
export class Runner {
  constructor(private readonly deps: RunnerDeps) {}

  async run(
    row: ScenarioRow,
    options: {
      trigger: Trigger;
      inputs?: Record<string, unknown>;
      actor: { userId: string } | 'system';
      signal?: AbortSignal;
    },
  ): Promise<{ execution: ExecutionView; refused?: HitchError }> {
    const modules = parseModules(row);
    const startedAt = Date.now();
    const executionId = newId(startedAt);
    const skipped = (): ModuleRecord[] => modules.map((m) => ({ id: m.id, status: 'skipped' }));

    let prepared: Prepared[];
    try {
      prepared = await this.preflight(row, modules);
    } catch (error) {
      if (!(error instanceof PreflightError)) throw error;
      const execution = await this.record(
        row,
        executionId,
        options.trigger,
        startedAt,
        'error',
        skipped(),
        error.error,
      );
      if (error.error.code === 'reauthorization_required' && error.connection) await this.pause(row, error.connection);
      return { execution, refused: error.error };
    }

    await this.deps.scenarios.insertExecution({
      id: executionId,
      scenario_id: row.id,
      team_id: row.team_id,
      trigger: options.trigger,
      status: 'running',
      started_at: startedAt,
      finished_at: null,
      modules: '[]',
      error: null,
    });
    const records: ModuleRecord[] = [];
    const outputs = new Map<number, unknown>();
    const runInputs = options.inputs ?? {};
    let failed: { error: HitchError; connectionId: string | undefined } | undefined;
    const redactor = new Redactor();
    const credentialsUsed = (placed: readonly PlacedCredential[]) => redactor.addCredentials(placed);
    for (const { module, spec, key, grant } of prepared) {
      if (failed) {
        records.push({ id: module.id, status: 'skipped' });
        continue;
      }
      try {
        if (key) redactor.addSecrets(Object.values(key.secrets));
        const inputs = typedInputs(
          spec.inputs,
          resolveMappings(module.inputs, { outputs, inputs: runInputs }) as Record<string, unknown>,
        );
        const outcome = await spec.run({
          teamId: row.team_id,
          inputs,
          connectionId: module.connectionId,
          grant,
          key,
          connections: this.deps.client,
          outbound: this.deps.outbound,
          sleep: this.deps.sleep ?? waitFor,
          credentialsUsed,
          ...(options.signal ? { signal: options.signal } : {}),
        });
        outputs.set(module.id, outcome.output);
        const record: ModuleRecord = {
          id: module.id,
          status: outcome.error ? 'error' : 'success',
          output: outcome.output,
          ...(outcome.request ? { request: outcome.request } : {}),
        };
        if (outcome.error) {
          record.error = { code: outcome.error.code, message: outcome.error.message };
          failed = { error: outcome.error, connectionId: module.connectionId };
        }
        records.push(record);
      } catch (error) {
        const known = isHitchError(error) ? error : new HitchError('internal');
        if (!isHitchError(error))
          this.deps.log.error({ err: error, scenarioId: row.id, module: module.id }, 'a module failed unexpectedly');
        records.push({ id: module.id, status: 'error', error: { code: known.code, message: known.message } });
        failed = { error: known, connectionId: module.connectionId };
      }
    }

    const status = failed ? 'error' : 'success';
    const finishedAt = Date.now();
    // Redacted once all modules ran: a secret used by a later module may sit in an earlier one's output.
    const kept = JSON.stringify(records.map((record) => keep(redactor.value(record))));
    await this.deps.scenarios.updateExecution(executionId, { status, finished_at: finishedAt, modules: kept });
    if (failed?.error.code === 'reauthorization_required' && failed.connectionId) {
      const connection = await this.deps.connections.byId(failed.connectionId);
      if (connection) await this.pause(row, connection);
    }
    return {
      execution: presentExecution({
        id: executionId,
        scenario_id: row.id,
        team_id: row.team_id,
        trigger: options.trigger,
        status,
        started_at: startedAt,
        finished_at: finishedAt,
        modules: kept,
        error: null,
      }),
    };
  }

  /** Everything a run needs, checked before any module runs. */
  private async preflight(row: ScenarioRow, modules: ScenarioModule[]): Promise<Prepared[]> {
    const prepared: Prepared[] = [];
    const connections = new Map<string, ConnectionRow>();
    for (const module of modules) {
      const spec = this.deps.registry.find(module.app, module.module);
      if (!spec)
        throw new PreflightError(
          new HitchError('validation_failed', {
            message: `Module ${module.id}: the app "${module.app}" no longer has the module "${module.module}"; edit the scenario.`,
            details: { module: module.id },
          }),
          undefined,
        );
      let key: UsableKey | undefined;
      if (spec.needs.kind === 'connection') {
        if (!module.connectionId) {
          throw new PreflightError(
            new HitchError('connection_not_authorized', {
              message: `Module ${module.id} (${spec.name}) has no connection: create one for this scenario and choose it.`,
              details: { module: module.id },
            }),
            undefined,
          );
        }
        const connection =
          connections.get(module.connectionId) ??
          (await this.deps.connections.byIdInTeams(module.connectionId, [row.team_id]));
        if (!connection) {
          throw new PreflightError(
            new HitchError('validation_failed', {
              message: `Module ${module.id} (${spec.name}): its connection was deleted; choose another one.`,
              details: { module: module.id, field: 'connectionId' },
            }),
            undefined,
          );
        }
        connections.set(connection.id, connection);
      } else if (spec.needs.kind === 'key') {
        key = module.keyId ? await this.deps.keys.usable(row.team_id, module.keyId) : undefined;
        if (!key || key.type !== spec.needs.type) {
          throw new PreflightError(
            new HitchError('validation_failed', {
              message: `Module ${module.id} (${spec.name}) needs a key of type ${spec.needs.type}: choose one from the keychain.`,
              details: { module: module.id, field: 'keyId' },
            }),
            undefined,
          );
        }
      }
      prepared.push({ module, spec, key, grant: undefined });
    }
    let endpoints: ReturnType<typeof scenarioEndpoints>;
    try {
      endpoints = scenarioEndpoints(modules, this.deps.registry);
    } catch (error) {
      // Saved scenarios were checked; a row changed behind Hitch's back still fails as a sentence.
      if (isHitchError(error)) throw new PreflightError(error, undefined);
      throw error;
    }
    for (const step of prepared) {
      const granted = step.module.connectionId ? endpoints.get(step.module.connectionId) : undefined;
      if (granted) step.grant = moduleGrant(row, step.module, step.spec, granted);
    }
    for (const connection of connections.values()) {
      const named = `Connection "${connection.name}"`;
      if (connection.status === 'pending') {
        throw new PreflightError(
          new HitchError('connection_not_authorized', {
            message: `${named} has not been authorized yet: finish connecting it, then run again.`,
            details: { connectionId: connection.id },
          }),
          connection,
        );
      }
      if (connection.status === 'reauthorization_required') {
        throw new PreflightError(
          new HitchError('reauthorization_required', {
            message: `${named} needs reauthorization: the service no longer accepts it. Reauthorize it, then run again.`,
            details: { connectionId: connection.id },
          }),
          connection,
        );
      }
    }
    for (const permissions of scenarioPermissions(
      modules,
      [...connections.values()],
      this.deps.registry,
      this.deps.catalog,
    )) {
      if (permissions.missing.length) {
        const connection = connections.get(permissions.connectionId)!;
        throw new PreflightError(
          new HitchError('scopes_missing', {
            message: `Connection "${connection.name}" lacks permissions this scenario needs (${permissions.missing.join(', ')}): extend its permissions by reauthorizing it with this scenario, then run again.`,
            details: { connectionId: connection.id, missing: permissions.missing },
          }),
          connection,
        );
      }
    }
    return prepared;
  }

  private async record(
    row: ScenarioRow,
    id: string,
    trigger: Trigger,
    startedAt: number,
    status: 'error',
    modules: ModuleRecord[],
    error: HitchError,
  ): Promise<ExecutionView> {
    const execution = {
      id,
      scenario_id: row.id,
      team_id: row.team_id,
      trigger,
      status,
      started_at: startedAt,
      finished_at: Date.now(),
      modules: JSON.stringify(modules),
      error: JSON.stringify({ code: error.code, message: error.message }),
    } as const;
    await this.deps.scenarios.insertExecution(execution);
    return presentExecution(execution);
  }

  /** Turns an active scenario off because a connection needs a person, and says so in the audit trail. */
  private async pause(row: ScenarioRow, connection: ConnectionRow): Promise<void> {
    const current = await this.deps.scenarios.byId(row.id);
    if (!current || current.active !== 1) return;
    const reason = `Connection "${connection.name}" needs reauthorization: reauthorize it, then turn the scenario on again.`;
    await this.deps.scenarios.update(row.id, {
      active: 0,
      paused_reason: reason,
      next_run_at: null,
      updated_at: Date.now(),
    });
    await this.deps.audit.record(
      row.team_id,
      'scenario.paused',
      'system',
      `Scenario "${row.name}" was turned off: ${reason}`,
      connection.id,
    );
  }
}

/** The record as kept, already redacted: very large outputs are cut. */
export function keep(record: ModuleRecord): ModuleRecord {
  const text = JSON.stringify(record);
  const kept = JSON.parse(text) as ModuleRecord;
  if (text.length > OUTPUT_RECORD_MAX_CHARS) {
    const output = kept.output as { status?: unknown; headers?: unknown } | undefined;
    kept.output = {
      truncated: true,
      ...(output && typeof output === 'object' && 'status' in output
        ? { status: output.status, headers: output.headers }
        : {}),
    };
  }
  return kept;
}
