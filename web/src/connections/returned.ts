import type { Outcome, ReturnContext } from './consent.ts';

/** A same-tab authorization that just came back. */
export interface Returned {
  context: ReturnContext;
  outcome: Outcome;
}
