import { describePattern, type EndpointGrant, type EndpointPattern } from '../connections/grants.ts';
import type { ScenarioModule } from './model.ts';
import type { ModuleRegistry } from './modules/registry.ts';
import type { ModuleSpec } from './modules/types.ts';

/** One endpoint a scenario may call on a connection, and the modules that grant it. */
export interface GrantedEndpoint extends EndpointPattern {
  modules: number[];
}

/**
 * A scenario's endpoint grant on each connection it uses: the union of its
 * modules' endpoints there (derived from the modules each time, never stored).
 */
export function scenarioEndpoints(modules: ScenarioModule[], registry: ModuleRegistry): Map<string, GrantedEndpoint[]> {
  const byConnection = new Map<string, Map<string, GrantedEndpoint>>();
  for (const module of modules) {
    const spec = registry.find(module.app, module.module);
    if (!module.connectionId || spec?.needs.kind !== 'connection') continue;
    let endpoints = byConnection.get(module.connectionId);
    if (!endpoints) byConnection.set(module.connectionId, (endpoints = new Map<string, GrantedEndpoint>()));
    for (const pattern of spec.needs.endpoints(module.inputs)) {
      const key = describePattern(pattern);
      const known = endpoints.get(key);
      if (known) known.modules.push(module.id);
      else endpoints.set(key, { ...pattern, modules: [module.id] });
    }
  }
  return new Map([...byConnection].map(([id, endpoints]) => [id, [...endpoints.values()]]));
}

/** The pattern alone, without the modules that grant it. */
export function patternOf({ method, origin, path }: EndpointPattern): EndpointPattern {
  return { method, path, ...(origin ? { origin } : {}) };
}

/** Whether a module takes its endpoints from its settings (a generic module) rather than its request. */
export function grantsBySettings(spec: ModuleSpec): boolean {
  return spec.inputs.some((input) => input.name === 'grantPath');
}

/** The grant a module's calls meet: the scenario's on that connection, with the remedy that fits the module. */
export function moduleGrant(
  scenario: { name: string },
  module: ScenarioModule,
  spec: ModuleSpec,
  endpoints: readonly EndpointPattern[],
): EndpointGrant {
  return {
    patterns: endpoints.map(patternOf),
    holder: `Scenario "${scenario.name}"`,
    remedy: grantsBySettings(spec)
      ? `widen the Allowed method and Allowed path settings of module ${module.id} (${spec.name}), or add a module that calls this endpoint`
      : 'add a module that calls this endpoint to the scenario',
    actor: 'system',
  };
}
