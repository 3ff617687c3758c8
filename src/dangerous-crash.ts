/**
 * TEST-ONLY fault hook. `HITCH_DANGEROUSLY_CRASH_AT=<point>` makes the process
 * kill itself with SIGKILL the moment it reaches that point, so the crash tests
 * (test/hardening/crashes.test.ts) can stop Hitch at an exact step — after the
 * service answered but before the database write, or right after the write —
 * and prove a restart finds a consistent database. Never set it in production:
 * it exists to lose work on purpose, so config.ts refuses it unless NODE_ENV=test.
 */
export const CRASH_POINTS = [
  'callback:after-exchange',
  'callback:after-write',
  'refresh:after-response',
  'refresh:after-write',
] as const;
export type CrashPoint = (typeof CRASH_POINTS)[number];

let armed: CrashPoint | null = null;

/** Called once at start with the configured point (config.dangerouslyCrashAt). */
export function armCrashPoint(point: CrashPoint | null): void {
  armed = point;
}

export function crashPoint(point: CrashPoint): void {
  if (armed === point) process.kill(process.pid, 'SIGKILL');
}
