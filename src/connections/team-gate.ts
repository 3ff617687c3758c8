import { HitchError } from '../errors.ts';

/** Calls to services one team may have in flight at once, per Hitch process: well above a legitimate burst (a storm of proxied calls, a scenario fan-out), low enough that one team cannot take every socket. */
export const MAX_CONCURRENT_CALLS_PER_TEAM = 128;

/**
 * A cap on a team's concurrent calls through its connections, so one team's
 * runaway scenario or proxy loop cannot take every socket and worker of the
 * instance. Refuses beyond the cap (429) rather than queueing: callers already
 * retry on 429, and a queue would only hide the overload. Per process: N
 * instances allow N times the cap, which still bounds each one.
 */
export class TeamGate {
  private readonly inflight = new Map<string, number>();

  constructor(readonly max = MAX_CONCURRENT_CALLS_PER_TEAM) {}

  /** Takes a slot for the team, or throws rate_limited; call the returned function once done (extra calls do nothing). */
  enter(teamId: string): () => void {
    const count = this.inflight.get(teamId) ?? 0;
    if (count >= this.max) {
      throw new HitchError('rate_limited', {
        message: `This team already has ${this.max} calls to services in progress: wait for some to finish and try again.`,
        details: { retryAfterSeconds: 1 },
      });
    }
    this.inflight.set(teamId, count + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.inflight.get(teamId) ?? 1) - 1;
      if (left <= 0) this.inflight.delete(teamId);
      else this.inflight.set(teamId, left);
    };
  }
}
