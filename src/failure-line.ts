import { ConfigError } from './config.ts';
import { isHitchError } from './errors.ts';

/**
 * What a failed start or command prints: one line on stderr, never a stack
 * trace. ConfigError messages already begin with the variable to fix.
 */
export function failureLine(error: unknown): string {
  if (error instanceof ConfigError || isHitchError(error)) return `hitch: ${error.message}`;
  const message = error instanceof Error ? error.message : String(error);
  return `hitch: ${message.split('\n', 1)[0]}`;
}

/** True for failures people fix themselves (configuration, keys); anything else is worth a full log record. */
export function isExpectedFailure(error: unknown): boolean {
  return error instanceof ConfigError || isHitchError(error);
}
