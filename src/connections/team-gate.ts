import { HitchError } from '../errors.ts';

/** Calls to services one team may have in flight at once, per Hitch process. */
export const MAX_CONCURRENT_CALLS_PER_TEAM = 32;
/** Calls of one team that may wait for a slot; beyond, 429. */
export const MAX_WAITING_CALLS_PER_TEAM = 256;

interface Team {
  inflight: number;
  waiting: Array<() => void>;
}

/**
 * A cap on a team's concurrent calls through its connections, so one team's
 * runaway scenario or proxy loop cannot take every socket of the instance.
 * A burst waits for a slot (first come, first served); only a team with a full
 * waiting line too is refused (429), since such a line would take longer to
 * drain than any caller waits. Per process: N instances allow N times the cap.
 */
export class TeamGate {
  private readonly teams = new Map<string, Team>();

  constructor(
    readonly max = MAX_CONCURRENT_CALLS_PER_TEAM,
    readonly maxWaiting = MAX_WAITING_CALLS_PER_TEAM,
  ) {}

  /** A release function when the team has a slot free now; undefined when the call must wait its turn (`enter`). */
  tryEnter(teamId: string): (() => void) | undefined {
    let team = this.teams.get(teamId);
    if (!team) this.teams.set(teamId, (team = { inflight: 0, waiting: [] }));
    if (team.inflight >= this.max) return undefined;
    team.inflight += 1;
    return this.releaser(teamId, team);
  }

  /** Resolves with a release function once the team has a slot; rejects with rate_limited when the line is full. */
  async enter(teamId: string): Promise<() => void> {
    const now = this.tryEnter(teamId);
    if (now) return now;
    const team = this.teams.get(teamId)!;
    if (team.waiting.length >= this.maxWaiting) {
      throw new HitchError('rate_limited', {
        message: `This team already has ${this.max} calls to services in progress and ${this.maxWaiting} waiting: wait for some to finish and try again.`,
        details: { retryAfterSeconds: 1 },
      });
    }
    // The slot is handed over by the release below, so inflight stays counted.
    await new Promise<void>((resolve) => team.waiting.push(resolve));
    return this.releaser(teamId, team);
  }

  private releaser(teamId: string, team: Team): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = team.waiting.shift();
      if (next) {
        next();
        return;
      }
      team.inflight -= 1;
      if (team.inflight === 0) this.teams.delete(teamId);
    };
  }
}
