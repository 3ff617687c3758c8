import { createHash } from 'node:crypto';
import type pg from 'pg';

/**
 * Statements the hot paths run on PostgreSQL, each as a named prepared statement: the server parses
 * and plans it once per pooled connection instead of on every call (pg remembers which connection
 * has prepared which name). A name must stand for one text, so it is the text's hash.
 */
export interface PostgresStatements {
  /** `$1, $2, …` placeholders. */
  query<R>(text: string, values: readonly unknown[]): Promise<R[]>;
}

/** PostgreSQL's refusal to run a prepared statement whose result columns a migration changed. */
function resultTypeChanged(error: unknown): boolean {
  return (
    error instanceof Error &&
    (error as { code?: unknown }).code === '0A000' &&
    error.message.includes('cached plan must not change result type')
  );
}

export function postgresStatements(pool: pg.Pool): PostgresStatements {
  const hashes = new Map<string, string>();
  // A migration run by another instance (a rolling upgrade) that adds a column leaves every statement
  // with `*` in it refused on the connections that prepared it: new names prepare them all anew.
  let generation = 0;
  function nameOf(text: string): string {
    let hash = hashes.get(text);
    if (hash === undefined) {
      hash = createHash('sha1').update(text).digest('hex').slice(0, 16);
      // Texts come from code, a few dozen in all; the bound only guards against one built from data.
      if (hashes.size < 1000) hashes.set(text, hash);
    }
    return `hitch_${generation}_${hash}`;
  }
  async function run<R>(text: string, values: readonly unknown[]): Promise<R[]> {
    const result = await pool.query({ name: nameOf(text), text, values: [...values] });
    return result.rows as R[];
  }
  return {
    async query<R>(text: string, values: readonly unknown[]): Promise<R[]> {
      try {
        return await run<R>(text, values);
      } catch (error) {
        // Refused before it ran (the plan is checked first), so running it again changes nothing twice.
        if (!resultTypeChanged(error)) throw error;
        generation++;
        return run<R>(text, values);
      }
    },
  };
}
