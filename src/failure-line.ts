import { CatalogError } from './catalog/problems.ts';
import { ConfigError } from './config.ts';
import { isHitchError } from './errors.ts';

/**
 * What a failed start or command prints: one line on stderr, never a stack
 * trace. ConfigError messages already begin with the variable to fix.
 */
export function failureLine(error: unknown): string {
  if (error instanceof ConfigError || isHitchError(error)) return `hitch: ${error.message}`;
  // The one exception to one line: a catalog that does not load lists every problem, one per line.
  if (error instanceof CatalogError) return `hitch: ${error.message}`;
  const message = error instanceof Error ? error.message : String(error);
  return `hitch: ${message.split('\n', 1)[0]!}`;
}

/** True for failures people fix themselves (configuration, keys); anything else is worth a full log record. */
export function isExpectedFailure(error: unknown): boolean {
  return error instanceof ConfigError || error instanceof CatalogError || isHitchError(error);
}
