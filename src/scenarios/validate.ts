import type { InputDefinition } from '../catalog/schema.ts';
import { inputValueProblem } from '../catalog/input-value.ts';
import { HitchError, isHitchError } from '../errors.ts';
import type { KeyType } from '../keys/types.ts';
import { isMapped, referencedModules } from './mapping.ts';
import type { ScenarioModule } from './model.ts';
import type { ModuleRegistry } from './modules/registry.ts';
import type { ModuleSpec } from './modules/types.ts';

export const MODULES_MAX = 100;
const MODULE_ID_MAX = 1_000_000;

export interface ValidationLookups {
  registry: ModuleRegistry;
  /** The team's connection, or undefined when the team has none by that id. */
  connection(teamId: string, id: string): Promise<{ app: string; name: string } | undefined>;
  key(teamId: string, id: string): Promise<{ type: KeyType; name: string } | undefined>;
}

/** 400 naming the module and the field, the shape every scenario validation failure takes. */
function invalid(field: string, module: number | undefined, message: string): HitchError {
  return new HitchError('validation_failed', {
    message,
    details: { field, ...(module !== undefined ? { module } : {}) },
  });
}

function checkInputValue(def: InputDefinition, value: unknown): string | null {
  return isMapped(value) ? null : inputValueProblem(def, value, 'given');
}

/**
 * Checks a scenario's modules as they are saved: each module exists in its app;
 * its connection (or key) belongs to the team and to the same app (or key
 * type); its inputs are the module's declared ones, of the right type, and map
 * only modules that come before it.
 */
export async function checkModules(
  raw: unknown,
  teamId: string,
  lookups: ValidationLookups,
): Promise<ScenarioModule[]> {
  if (!Array.isArray(raw)) throw invalid('modules', undefined, 'modules must be a list.');
  if (raw.length > MODULES_MAX) throw invalid('modules', undefined, `A scenario has at most ${MODULES_MAX} modules.`);
  const seen = new Set<number>();
  const out: ScenarioModule[] = [];
  for (const [index, item] of raw.entries()) {
    const at = `modules.${index}`;
    if (!item || typeof item !== 'object' || Array.isArray(item))
      throw invalid(at, undefined, `Module ${index + 1} in the list must be an object.`);
    const m = item as Record<string, unknown>;
    for (const key of Object.keys(m)) {
      if (!['id', 'app', 'module', 'connectionId', 'keyId', 'inputs'].includes(key))
        throw invalid(`${at}.${key}`, undefined, `${key} is not a field of a scenario module.`);
    }
    if (typeof m.id !== 'number' || !Number.isInteger(m.id) || m.id < 1 || m.id > MODULE_ID_MAX)
      throw invalid(`${at}.id`, undefined, `Module ${index + 1} in the list needs an id: a whole number from 1.`);
    const id = m.id;
    if (seen.has(id)) throw invalid(`${at}.id`, id, `Module ${id} appears twice: each module needs its own id.`);
    if (typeof m.app !== 'string' || typeof m.module !== 'string')
      throw invalid(
        `${at}.${typeof m.app !== 'string' ? 'app' : 'module'}`,
        id,
        `Module ${id} needs an app and a module.`,
      );
    const modules = lookups.registry.modulesOf(m.app);
    if (!modules) throw invalid(`${at}.app`, id, `Module ${id}: there is no app "${m.app}".`);
    const spec = modules.find((s) => s.id === m.module);
    if (!spec)
      throw invalid(
        `${at}.module`,
        id,
        `Module ${id}: the app "${m.app}" has no module "${m.module}"; it has: ${modules.map((s) => s.id).join(', ')}.`,
      );
    const label = `Module ${id} (${spec.name})`;
    const connectionId = m.connectionId === undefined || m.connectionId === null ? undefined : m.connectionId;
    const keyId = m.keyId === undefined || m.keyId === null ? undefined : m.keyId;
    if (connectionId !== undefined && typeof connectionId !== 'string')
      throw invalid(`${at}.connectionId`, id, `${label}: connectionId must be a connection id.`);
    if (keyId !== undefined && typeof keyId !== 'string')
      throw invalid(`${at}.keyId`, id, `${label}: keyId must be a key id.`);
    await checkCredentials(spec, { at, id, label, connectionId, keyId, teamId }, lookups);

    const inputs = m.inputs === undefined ? {} : m.inputs;
    if (!inputs || typeof inputs !== 'object' || Array.isArray(inputs))
      throw invalid(`${at}.inputs`, id, `${label}: inputs must be an object.`);
    checkInputs(spec, inputs as Record<string, unknown>, { at, id, label, earlier: seen });
    checkEndpoints(spec, inputs as Record<string, unknown>, { at, id, label });

    seen.add(id);
    out.push({
      id,
      app: m.app,
      module: m.module,
      ...(connectionId ? { connectionId } : {}),
      ...(keyId ? { keyId } : {}),
      inputs: inputs as Record<string, unknown>,
    });
  }
  return out;
}

async function checkCredentials(
  spec: ModuleSpec,
  where: {
    at: string;
    id: number;
    label: string;
    connectionId: string | undefined;
    keyId: string | undefined;
    teamId: string;
  },
  lookups: ValidationLookups,
): Promise<void> {
  const { at, id, label, connectionId, keyId, teamId } = where;
  const needs = spec.needs;
  if (needs.kind !== 'connection' && connectionId !== undefined)
    throw invalid(`${at}.connectionId`, id, `${label} takes no connection.`);
  if (needs.kind !== 'key' && keyId !== undefined) throw invalid(`${at}.keyId`, id, `${label} takes no key.`);
  if (needs.kind === 'connection' && connectionId !== undefined) {
    const connection = await lookups.connection(teamId, connectionId);
    if (!connection)
      throw invalid(`${at}.connectionId`, id, `${label}: there is no such connection in this scenario's team.`);
    if (connection.app !== needs.app)
      throw invalid(
        `${at}.connectionId`,
        id,
        `${label} needs a connection to ${needs.app}, and "${connection.name}" is a connection to ${connection.app}.`,
      );
  }
  // A module may be saved before its connection or key exists (a connection is created for a scenario); runs check again.
  if (needs.kind === 'key' && keyId !== undefined) {
    const key = await lookups.key(teamId, keyId);
    if (!key) throw invalid(`${at}.keyId`, id, `${label}: there is no such key in this scenario's team.`);
    if (key.type !== needs.type)
      throw invalid(
        `${at}.keyId`,
        id,
        `${label} needs a key of type ${needs.type}, and "${key.name}" is of type ${key.type}.`,
      );
  }
}

/** A generic module's grant settings are read when the scenario is saved, so a bad one is refused here. */
function checkEndpoints(
  spec: ModuleSpec,
  inputs: Record<string, unknown>,
  where: { at: string; id: number; label: string },
): void {
  if (spec.needs.kind !== 'connection') return;
  try {
    spec.needs.endpoints(inputs);
  } catch (error) {
    if (!isHitchError(error, 'validation_failed')) throw error;
    const field = typeof error.details?.field === 'string' ? error.details.field : 'inputs';
    throw invalid(`${where.at}.inputs.${field}`, where.id, `${where.label}: ${error.message}`);
  }
}

function checkInputs(
  spec: ModuleSpec,
  inputs: Record<string, unknown>,
  where: { at: string; id: number; label: string; earlier: Set<number> },
): void {
  const { at, id, label, earlier } = where;
  const declared = new Map(spec.inputs.map((d) => [d.name, d]));
  for (const [name, value] of Object.entries(inputs)) {
    const def = declared.get(name);
    const field = `${at}.inputs.${name}`;
    if (!def)
      throw invalid(
        field,
        id,
        `${label} has no input "${name}"; its inputs are: ${spec.inputs.map((d) => d.name).join(', ') || 'none'}.`,
      );
    if (value === null || value === undefined || value === '') continue;
    const problem = checkInputValue(def, value);
    if (problem) throw invalid(field, id, `${label}: ${def.label} (${name}) ${problem}.`);
    for (const ref of referencedModules(value)) {
      if (!earlier.has(ref))
        throw invalid(field, id, `${label}: ${def.label} (${name}) maps module ${ref}, which does not come before it.`);
    }
  }
  for (const def of spec.inputs) {
    const value = inputs[def.name];
    if (def.required && (value === undefined || value === null || value === ''))
      throw invalid(`${at}.inputs.${def.name}`, id, `${label}: ${def.label} (${def.name}) is required.`);
  }
}
