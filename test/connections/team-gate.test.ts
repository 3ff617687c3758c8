import { describe, expect, it } from 'vitest';
import { isHitchError } from '../../src/errors.ts';
import { TeamGate } from '../../src/connections/team-gate.ts';

describe("a team's gate", () => {
  it('gives a slot at once while one is free, none past the cap, and hands a freed slot to the first in line', async () => {
    const gate = new TeamGate(2, 1);
    const first = gate.tryEnter('t')!;
    const second = gate.tryEnter('t')!;
    expect(first).toBeTypeOf('function');
    expect(gate.tryEnter('t')).toBeUndefined();
    // Another team is not held up by this one.
    expect(gate.tryEnter('other')).toBeTypeOf('function');

    const waiting = gate.enter('t');
    await expect(gate.enter('t')).rejects.toSatisfy((error) => isHitchError(error, 'rate_limited'));
    first();
    first(); // a second release frees nothing more
    const third = await waiting;
    // The freed slot went to the waiting call: still none free.
    expect(gate.tryEnter('t')).toBeUndefined();
    second();
    third();
    expect(gate.tryEnter('t')).toBeTypeOf('function');
  });
});
