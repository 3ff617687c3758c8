/** One thing wrong in an app file: where (the file, the JSON path inside it) and what, in one sentence. */
export interface CatalogProblem {
  /** The file as people find it: `apps/gmail.json`, or the full path of a HITCH_APPS_DIR file. */
  file: string;
  /** Dot path inside the file (`connections.0.tokenUrl`); empty for the file as a whole. */
  path: string;
  message: string;
}

export function formatProblem(problem: CatalogProblem): string {
  return problem.path ? `${problem.file}: ${problem.path}: ${problem.message}` : `${problem.file}: ${problem.message}`;
}

/**
 * Raised when app files do not load: lists every problem of every file, one
 * line each, so a start-up or `hitch apps check` shows them all at once.
 */
export class CatalogError extends Error {
  override name = 'CatalogError';
  readonly problems: readonly CatalogProblem[];

  constructor(problems: readonly CatalogProblem[]) {
    const count = problems.length === 1 ? 'a problem' : `${problems.length} problems`;
    super(
      problems.length === 1
        ? `An app file is not valid: ${formatProblem(problems[0]!)}`
        : `The app files have ${count}:\n${problems.map((p) => `  ${formatProblem(p)}`).join('\n')}`,
    );
    this.problems = problems;
  }
}
