import { describe, expect, it } from 'vitest';
import { MAX_ANSWER_DEPTH, responseOutput } from '../../src/scenarios/modules/http-exchange.ts';
import type { OutboundResponse } from '../../src/outbound/types.ts';

function answer(text: string): OutboundResponse {
  const body = Buffer.from(text);
  return {
    status: 200,
    headers: { 'content-type': 'application/json' },
    url: 'https://api.example.com/x',
    body,
    text: () => text,
    json: (): unknown => JSON.parse(text),
  };
}

/** A hostile service's answer is walked by mappings and stored: its nesting is bounded like a request body's. */
describe('module answers nested past the bound', () => {
  it('parses an answer at the bound and keeps a deeper one as text', () => {
    const at = `${'['.repeat(MAX_ANSWER_DEPTH)}1${']'.repeat(MAX_ANSWER_DEPTH)}`;
    expect(Array.isArray(responseOutput(answer(at)).body)).toBe(true);
    const bomb = `${'['.repeat(200_000)}${']'.repeat(200_000)}`;
    expect(responseOutput(answer(bomb)).body).toBe(bomb);
  });
});
