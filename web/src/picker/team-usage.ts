import { api } from '../api/client.ts';

/** The most a team's usage is counted over: one page of each list, enough to rank its apps. */
const COUNTED = 200;

/**
 * How much a team uses each app: its connections and its scenarios' modules.
 * Read when a picker opens (a new connection or module changes it); a failure
 * only loses the ordering, never the picker.
 */
export async function teamUsage(teamId: string): Promise<Map<string, number>> {
  const uses = new Map<string, number>();
  const count = (app: string) => uses.set(app, (uses.get(app) ?? 0) + 1);
  const [connections, scenarios] = await Promise.all([
    api('GET /connections', { query: { teamId, limit: COUNTED } }).catch(() => ({ items: [] })),
    api('GET /scenarios', { query: { teamId, limit: COUNTED } }).catch(() => ({ items: [] })),
  ]);
  for (const c of connections.items) count(c.app);
  for (const s of scenarios.items) for (const m of s.modules) count(m.app);
  return uses;
}
