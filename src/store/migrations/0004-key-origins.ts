import type { Kysely } from 'kysely';

/**
 * Security II: a keychain key that goes on requests names the origins it may
 * be sent to. Existing keys get the origins their scenarios call today, read
 * from each module's URL; a key no scenario uses, or used only with mapped
 * URLs, gets none and is refused until its owner adds them.
 */
interface Db {
  keys: { id: string; team_id: string; type: string; origins: string };
  scenarios: { team_id: string; modules: string };
}

const SENT_TYPES = ['apiKey', 'basic', 'certificate'];

function originOf(url: unknown): string | undefined {
  if (typeof url !== 'string' || !/^https?:\/\//i.test(url)) return undefined;
  try {
    const origin = new URL(url).origin;
    // A template in the host ({{1.host}}) decides nothing yet.
    return origin.includes('{') || origin.includes('%7B') ? undefined : origin;
  } catch {
    return undefined;
  }
}

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('keys')
    .addColumn('origins', 'text', (c) => c.notNull().defaultTo('[]'))
    .execute();

  const typed = db as unknown as Kysely<Db>;
  const keys = await typed
    .selectFrom('keys')
    .select(['id', 'team_id', 'type'])
    .where('type', 'in', SENT_TYPES)
    .execute();
  if (keys.length === 0) return;
  const origins = new Map<string, Set<string>>(keys.map((k) => [k.id, new Set<string>()]));
  const teamOf = new Map(keys.map((k) => [k.id, k.team_id]));
  const scenarios = await typed.selectFrom('scenarios').select(['team_id', 'modules']).execute();
  for (const { team_id: team, modules } of scenarios) {
    let list: unknown;
    try {
      list = JSON.parse(modules);
    } catch {
      continue;
    }
    if (!Array.isArray(list)) continue;
    // Stored JSON: an element may be null.
    for (const module of list as Array<{ keyId?: unknown; inputs?: { url?: unknown } } | null>) {
      // Only the key's own team's scenarios speak for it: another team's stored id is no reason to send it anywhere.
      const set =
        typeof module?.keyId === 'string' && teamOf.get(module.keyId) === team ? origins.get(module.keyId) : undefined;
      const origin = originOf(module?.inputs?.url);
      if (set && origin) set.add(origin);
    }
  }
  for (const [id, set] of origins) {
    if (set.size > 0)
      await typed
        .updateTable('keys')
        .set({ origins: JSON.stringify([...set].sort()) })
        .where('id', '=', id)
        .execute();
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('keys').dropColumn('origins').execute();
}
