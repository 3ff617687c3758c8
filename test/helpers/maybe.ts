/**
 * A variable a before-hook assigns, as the matching after-hook must treat it. `let w: World` types it as always
 * set, but a setup that failed part way (a timeout, a port in use) leaves the later ones unassigned, and the
 * after-hook still runs: `await maybe(w)?.close()` closes what was opened.
 */
export function maybe<T>(value: T): T | undefined {
  return value;
}
