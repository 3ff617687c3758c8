import { api } from './client.ts';
import type { AppDescription, AppSummary } from './types.ts';

// The catalog changes only when the server restarts: one fetch per app per page load.
let list: Promise<AppSummary[]> | null = null;
const descriptions = new Map<string, Promise<AppDescription>>();

export function listApps(): Promise<AppSummary[]> {
  list ??= api('GET /apps').then((r) => r.items);
  list.catch(() => (list = null));
  return list;
}

export function describeApp(id: string): Promise<AppDescription> {
  let found = descriptions.get(id);
  if (!found) {
    found = api('GET /apps/:id', { params: { id } });
    found.catch(() => descriptions.delete(id));
    descriptions.set(id, found);
  }
  return found;
}
