import type { Catalog } from '../../catalog/catalog.ts';
import { catalogModules } from './catalog-modules.ts';
import { encryptorModules } from './encryptor.ts';
import { httpModules } from './http.ts';
import type { ModuleSpec } from './types.ts';

/** Built-in apps whose modules are code, not catalog data. */
const BUILT_IN: Record<string, { name: string; modules: ModuleSpec[] }> = {
  encryptor: { name: 'Encryptor', modules: encryptorModules },
};

/**
 * Every module a scenario may use, found by app and module id. The HTTP app is
 * also a catalog app (its OAuth 2.0 connection), so its modules are its
 * built-in requests followed by the catalog's.
 */
export class ModuleRegistry {
  /** The catalog does not change once loaded, so each app's list is made once, when first asked for. */
  private readonly made = new Map<string, ModuleSpec[]>();

  constructor(private readonly catalog: Catalog) {}

  modulesOf(appId: string): ModuleSpec[] | undefined {
    const builtIn = BUILT_IN[appId];
    if (builtIn) return builtIn.modules;
    const known = this.made.get(appId);
    if (known) return known;
    const app = this.catalog.get(appId);
    if (!app) return undefined;
    const fromCatalog = catalogModules(app);
    const modules =
      appId === 'http'
        ? [...httpModules, ...fromCatalog.filter((m) => !httpModules.some((h) => h.id === m.id))]
        : fromCatalog;
    this.made.set(appId, modules);
    return modules;
  }

  find(appId: string, moduleId: string): ModuleSpec | undefined {
    return this.modulesOf(appId)?.find((m) => m.id === moduleId);
  }

  /** App ids that have modules: the catalog's and the built-in ones. */
  apps(): Array<{ id: string; name: string }> {
    return [
      ...this.catalog.list().map((a) => ({ id: a.id, name: a.name })),
      ...Object.entries(BUILT_IN).map(([id, b]) => ({ id, name: b.name })),
    ];
  }
}
