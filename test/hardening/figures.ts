/**
 * Counts what the hardening suite tried (inputs, faults, crashes, secrets scanned),
 * so docs/security.md can quote real figures. Each test file appends one JSON line
 * to $TMPDIR/hitch-hardening-figures.jsonl when it ends; sum them to read a run.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';

export type Figure =
  | 'inputsTried'
  | 'faultsInjected'
  | 'crashesSurvived'
  | 'secretsScanned'
  | 'secretHits'
  | 'ssrfRefused'
  | 'tenantProbes';

const counts = new Map<Figure, number>();

export function record(figure: Figure, n = 1): void {
  counts.set(figure, (counts.get(figure) ?? 0) + n);
}

export const FIGURES_FILE = path.join(os.tmpdir(), 'hitch-hardening-figures.jsonl');

afterAll(() => {
  if (counts.size === 0) return;
  fs.appendFileSync(
    FIGURES_FILE,
    `${JSON.stringify({ at: new Date().toISOString(), ...Object.fromEntries(counts) })}\n`,
  );
  counts.clear();
});
