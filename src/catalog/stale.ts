import type { AppDefinition } from './schema.ts';

/** How long a reviewed fact stays fresh: `apps check --stale` lists what is older. */
export const STALE_AFTER_MONTHS = 6;

export interface StaleApp {
  id: string;
  /** Why, in words: "not reviewed since 2026-01-10", "API version 2024-01 chosen 2025-03-01", "never reviewed". */
  reasons: string[];
}

/** `YYYY-MM-DD` of the day six months before `today` (the same day of the month, clamped to its end). */
export function staleBefore(today: Date, months = STALE_AFTER_MONTHS): string {
  const year = today.getUTCFullYear();
  const month = today.getUTCMonth() - months;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return new Date(Date.UTC(year, month, Math.min(today.getUTCDate(), lastDay))).toISOString().slice(0, 10);
}

/**
 * The apps whose facts are due a look against the service's documentation: no `reviewedAt`, a
 * `reviewedAt` older than six months, or an `apiVersion` chosen more than six months ago. Sorted by id.
 */
export function staleApps(apps: readonly AppDefinition[], today: Date): StaleApp[] {
  const cutoff = staleBefore(today);
  const out: StaleApp[] = [];
  for (const app of apps) {
    const reasons: string[] = [];
    if (app.reviewedAt === undefined) reasons.push('never reviewed (no reviewedAt)');
    else if (app.reviewedAt < cutoff) reasons.push(`not reviewed since ${app.reviewedAt}`);
    if (app.apiVersion && app.apiVersion.chosenAt < cutoff)
      reasons.push(`API version ${app.apiVersion.value} chosen ${app.apiVersion.chosenAt}`);
    if (reasons.length) out.push({ id: app.id, reasons });
  }
  return out.sort((a, b) => a.id.localeCompare(b.id, 'en'));
}
