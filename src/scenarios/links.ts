import type { Catalog } from '../catalog/catalog.ts';
import { unionScopes } from '../connections/model.ts';
import type { ConnectionUsage } from '../connections/present.ts';
import type { ScenarioScopes } from '../connections/request-checks.ts';
import { HitchError } from '../errors.ts';
import type { Store } from '../store/database.ts';
import { parseModules } from './model.ts';
import { ModuleRegistry } from './modules/registry.ts';
import { baseScopes, moduleScopes } from './permissions.ts';
import { ScenariosRepository } from '../store/repositories/scenarios.ts';
import { UsesRepository } from '../store/repositories/scenario-uses.ts';

/**
 * What the connection core needs to know about scenarios — which use a
 * connection, and which scopes a scenario asks of an app — built from the store
 * alone, so it exists before the connection core that the runner needs.
 */
export interface ScenarioLinks {
  repository: ScenariosRepository;
  uses: UsesRepository;
  registry: ModuleRegistry;
  usage: ConnectionUsage;
  scopes: ScenarioScopes;
}

export function createScenarioLinks(deps: { store: Store; catalog: Catalog }): ScenarioLinks {
  const repository = new ScenariosRepository(deps.store.db);
  const uses = new UsesRepository(deps.store.db);
  const registry = new ModuleRegistry(deps.catalog);
  const scopes: ScenarioScopes = {
    // The app's base scopes and what the scenario's modules of that app declare.
    async scopesFor(caller, scenarioId, app, connectionId) {
      const row = await repository.byIdInTeams(scenarioId, caller.teamIds);
      if (!row)
        throw new HitchError('not_found', {
          message: 'There is no such scenario in your teams.',
          details: { field: 'scenarioId' },
        });
      return unionScopes(baseScopes(deps.catalog, app), moduleScopes(parseModules(row), registry, app, connectionId));
    },
  };
  return { repository, uses, registry, usage: { usedBy: (ids) => uses.usedBy('connection', ids) }, scopes };
}
