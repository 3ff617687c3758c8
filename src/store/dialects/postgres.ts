import pg from 'pg';
import { PostgresDialect } from 'kysely';
import type { DatabaseIntrospector, Kysely } from 'kysely';
import { OwnSchemaIntrospector } from './own-schema-introspector.js';

/** int8 as a number; every other type as pg reads it (pg's parsers are typed `any`). */
const getTypeParser: typeof pg.types.getTypeParser = (oid, format): unknown =>
  oid === pg.types.builtins.INT8 ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format);

/** Kysely's PostgreSQL dialect, introspecting only Hitch's own schema (see OwnSchemaIntrospector). */
class OwnSchemaPostgresDialect extends PostgresDialect {
  override createIntrospector(db: Kysely<unknown>): DatabaseIntrospector {
    return new OwnSchemaIntrospector(db);
  }
}

/**
 * PostgreSQL for more than one machine. Times are `bigint` milliseconds, which
 * stay well inside Number's exact range, so they are read back as numbers.
 * `schema` (tests) confines every table to one schema via search_path.
 */
export function postgresDialect(
  url: string,
  options: { schema?: string; max?: number } = {},
): { dialect: PostgresDialect; pool: pg.Pool } {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    connectionTimeoutMillis: 5000,
    idleTimeoutMillis: 30_000,
    ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
    types: { getTypeParser },
  });
  // An idle client losing its server must not crash the process; the next query reports it.
  pool.on('error', () => {});
  return { dialect: new OwnSchemaPostgresDialect({ pool }), pool };
}
