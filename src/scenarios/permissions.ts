import type { Catalog } from '../catalog/catalog.ts';
import { parseScopes, unionScopes } from '../connections/model.ts';
import type { ConnectionRow } from '../store/schema.ts';
import type { ScenarioModule } from './model.ts';
import type { ModuleRegistry } from './modules/registry.ts';
import { scenarioEndpoints, type GrantedEndpoint } from './endpoint-grants.ts';

export interface ConnectionPermissions {
  connectionId: string;
  app: string;
  name: string;
  status: ConnectionRow['status'];
  required: string[];
  granted: string[];
  missing: string[];
  /** The endpoint grant: what the scenario's modules may call through this connection. */
  endpoints: GrantedEndpoint[];
}

/** The app's base scopes for a connection kind: always asked for, whatever the modules need. */
export function baseScopes(catalog: Catalog, appId: string, auth?: string): string[] {
  const app = catalog.get(appId);
  if (!app) return [];
  const kind = auth === undefined ? app.connections[0] : app.connections.find((k) => k.type === auth);
  return kind?.type === 'oauth2' ? kind.baseScopes : [];
}

/** The scopes the scenario's modules of one app declare (the modules say what they need; nothing is stored twice). */
export function moduleScopes(
  modules: ScenarioModule[],
  registry: ModuleRegistry,
  appId: string,
  connectionId?: string,
): string[] {
  return unionScopes(
    ...modules
      .filter(
        (m) =>
          m.app === appId &&
          (connectionId === undefined || m.connectionId === connectionId || m.connectionId === undefined),
      )
      .map((m) => registry.find(m.app, m.module)?.scopes ?? []),
  );
}

/**
 * For each connection the scenario uses: what its modules need (plus the app's
 * base scopes), what the connection was granted, what is missing, and the
 * endpoints the modules may call there. Apps that
 * cannot limit access (full access) and kinds without scopes miss nothing.
 */
export function scenarioPermissions(
  modules: ScenarioModule[],
  connections: ConnectionRow[],
  registry: ModuleRegistry,
  catalog: Catalog,
): ConnectionPermissions[] {
  const endpoints = scenarioEndpoints(modules, registry);
  return connections.map((row) => {
    const app = catalog.get(row.app);
    const required = unionScopes(
      baseScopes(catalog, row.app, row.auth),
      moduleScopes(
        modules.filter((m) => m.connectionId === row.id),
        registry,
        row.app,
      ),
    );
    const granted = parseScopes(row);
    const limitsAccess = row.auth === 'oauth2' && !app?.fullAccess;
    const missing = limitsAccess ? required.filter((s) => !granted.includes(s)) : [];
    return {
      connectionId: row.id,
      app: row.app,
      name: row.name,
      status: row.status,
      required,
      granted,
      missing,
      endpoints: endpoints.get(row.id) ?? [],
    };
  });
}
