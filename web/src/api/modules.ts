import { api } from './client.ts';
import type { ModuleListing } from './types.ts';

/** Every module a scenario can use, as the server lists them; fixed until the server restarts. */
let all: Promise<ModuleListing[]> | null = null;

export function listModules(): Promise<ModuleListing[]> {
  all ??= api('GET /modules').then((r) => r.items);
  all.catch(() => (all = null));
  return all;
}

/** The apps that have modules, in the server's order, each once. */
export function appsOf(modules: ModuleListing[]): Array<{ id: string; name: string }> {
  const seen = new Map<string, string>();
  for (const m of modules) if (!seen.has(m.app)) seen.set(m.app, m.appName);
  return [...seen].map(([id, name]) => ({ id, name }));
}
