/**
 * Faults at the service: the token endpoint (renewal) and the verify endpoint of an
 * active connection answer every way broken services do. For each, the status
 * rules hold, the stored tokens stay exactly as they were, the person reads a
 * sentence, the call ends within the outbound deadline, and Hitch does not hammer
 * the service (requests counted at the faulty server).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectionUpdate } from '../../src/store/schema.ts';
import { connect, connectionRow, getConnection } from '../connections/harness.ts';
import { dialects } from '../helpers/store.ts';
import { FAULTS, startFaultyService, type Fault, type FaultyService } from '../peers/faulty-service.ts';
import { startOAuthServer, type OAuthServer } from '../peers/oauth-server.ts';
import { PUBLIC_URL } from '../http/app.ts';
import { isHumane, openHardenedWorld, OUTBOUND_TIMEOUT_MS, type HardenedWorld } from './world.ts';
import { record } from './figures.ts';
import { maybe } from '../helpers/maybe.ts';
import { placedValue } from '../helpers/placed.ts';

/** Faults where the service never gave a usable answer: Hitch may resend the refresh token once. */
const NO_ANSWER: Fault[] = ['timeout', 'reset', 'slow_drip'];
/** A hang detector, not a speed test: every call must end within a few outbound deadlines. */
const BOUND_MS = OUTBOUND_TIMEOUT_MS * 2 + 4_000;

let server: OAuthServer;
let faulty: FaultyService;
beforeAll(async () => {
  server = await startOAuthServer({ redirectUris: [`${PUBLIC_URL}/oauth/callback`], accessTokenTtlSeconds: 600 });
  faulty = await startFaultyService({ '/token': server.tokenEndpoint, '/me': server.userinfoEndpoint });
});
afterAll(async () => {
  await maybe(faulty)?.close();
  await maybe(server)?.close();
});

describe.each(dialects)('service faults on $name', ({ open }) => {
  let w: HardenedWorld;
  beforeAll(async () => {
    w = await openHardenedWorld(open, server, {
      appOverrides: {
        tokenUrl: faulty.url('/token'),
        verify: { url: faulty.url('/me'), accountId: ['sub'], accountLabel: ['email'] },
      },
    });
  });
  afterAll(async () => {
    faulty.heal();
    await maybe(w)?.close();
  });

  const setRow = (id: string, changes: ConnectionUpdate) =>
    w.t.store.db.updateTable('connections').set(changes).where('id', '=', id).execute();
  async function timed<T>(work: () => Promise<T>): Promise<{ value?: T; error?: unknown }> {
    const started = Date.now();
    w.t.connections.credentials.cache.clear();
    try {
      return { value: await work() };
    } catch (error) {
      return { error };
    } finally {
      expect(Date.now() - started).toBeLessThan(BOUND_MS);
    }
  }

  it.each(FAULTS)('renewal against a token endpoint answering %s', async (fault) => {
    faulty.heal();
    const { id } = await connect(w);
    const before = await w.secretsOf(id);
    expect(before?.accessToken).toBeTruthy();

    // Due (within its lead) while the token itself still works.
    await setRow(id, { next_refresh_at: Date.now() - 1 });
    faulty.arm('/token', fault);
    faulty.resetCounts();
    const calls = 4;
    for (let i = 0; i < calls; i++) {
      const got = await timed(() => w.t.connections.credentials.get(id));
      record('faultsInjected');
      if (fault === 'invalid_grant') expect(got.error).toMatchObject({ code: 'reauthorization_required' });
      else if (fault === 'invalid_client') expect(got.error).toMatchObject({ code: expect.any(String) });
      else expect(placedValue(got.value?.placed)).toBe(`Bearer ${before!.accessToken}`);
    }
    // Backoff: one refresh (plus one resend when nothing answered), not one per caller.
    expect(faulty.count('/token')).toBeGreaterThanOrEqual(1);
    expect(faulty.count('/token')).toBeLessThanOrEqual(NO_ANSWER.includes(fault) ? 2 : 1);
    expect(await w.t.connections.sweep()).toMatchObject({ renewed: 0 });
    expect(faulty.count('/token')).toBeLessThanOrEqual(NO_ANSWER.includes(fault) ? 2 : 1);

    let shown = (await getConnection(w, id)).body;
    const expected =
      fault === 'invalid_grant' ? 'reauthorization_required' : fault === 'invalid_client' ? 'error' : 'active';
    expect(shown.status).toBe(expected);
    expect(shown.lastError).toMatchObject({ code: expect.any(String) });
    expect(isHumane(shown.lastError.message), shown.lastError.message).toBe(true);
    if (fault === 'invalid_grant') expect(shown.lastError.message).toMatch(/reauthorize/i);
    if (fault === 'invalid_client') expect(shown.lastError.message).toMatch(/administrator|client/i);
    expect(await w.secretsOf(id)).toEqual(before);
    let row = (await connectionRow(w, id))!;
    expect(row.refreshing_until).toBeNull();
    if (fault === 'invalid_grant' || fault === 'invalid_client') return;
    expect(row.retry_at).toBeGreaterThan(Date.now());

    // The token lapses while the service still fails: error, callers told, tokens kept.
    await setRow(id, { expires_at: Date.now() - 1, next_refresh_at: Date.now() - 1, retry_at: Date.now() - 1 });
    faulty.resetCounts();
    for (let i = 0; i < calls; i++) {
      const got = await timed(() => w.t.connections.credentials.get(id));
      record('faultsInjected');
      expect(got.error).toMatchObject({ code: expect.stringMatching(/^upstream_/), message: expect.any(String) });
      expect(isHumane((got.error as Error).message), (got.error as Error).message).toBe(true);
    }
    expect(faulty.count('/token')).toBeLessThanOrEqual(NO_ANSWER.includes(fault) ? 2 : 1);
    shown = (await getConnection(w, id)).body;
    expect(shown.status).toBe('error');
    expect(isHumane(shown.lastError.message)).toBe(true);
    expect(await w.secretsOf(id)).toEqual(before);

    // The service recovers; after the backoff the connection does too.
    faulty.heal('/token');
    await setRow(id, { retry_at: Date.now() - 1 });
    const renewed = await timed(() => w.t.connections.credentials.get(id));
    expect(placedValue(renewed.value?.placed)).toMatch(/^Bearer /);
    expect(placedValue(renewed.value?.placed)).not.toBe(`Bearer ${before!.accessToken}`);
    shown = (await getConnection(w, id)).body;
    expect(shown).toMatchObject({ status: 'active', lastError: null });
    row = (await connectionRow(w, id))!;
    expect(row.refresh_failures).toBe(0);
  });

  it.each(FAULTS)('verify against a verify endpoint answering %s', async (fault) => {
    faulty.heal();
    const { id } = await connect(w);
    const before = await w.secretsOf(id);
    faulty.arm('/me', fault);
    faulty.resetCounts();
    const calls = 2;
    const outcomes: Array<{ verified: boolean; error?: { code: string; message: string } }> = [];
    for (let i = 0; i < calls; i++) {
      const got = await timed(() =>
        w.t.app.inject({ method: 'POST', url: `/api/v1/connections/${id}/verify`, headers: w.headers }),
      );
      record('faultsInjected');
      expect(got.value?.statusCode).toBe(200);
      outcomes.push(got.value!.json());
    }
    // Each Verify click is at most one call (plus the redirects it followed, at most 3).
    expect(faulty.count('/me')).toBeLessThanOrEqual(
      calls * (fault === 'redirect_loop' ? 4 : fault === 'invalid_client' ? 2 : 1),
    );

    const shown = (await getConnection(w, id)).body;
    if (fault === 'invalid_client') {
      // A 401 from the API itself, even after one renewal: the service refuses this connection.
      expect(outcomes.every((o) => !o.verified)).toBe(true);
      expect(shown.status).toBe('reauthorization_required');
      expect(shown.lastError.message).toMatch(/reauthorize/i);
      return;
    }
    expect(shown.status).toBe('active');
    expect(await w.secretsOf(id)).toEqual(before);
    // A 2xx answer proves the token works (verify.ts), even without the account fields.
    if (fault === 'html' || fault === 'no_access_token') return;
    for (const o of outcomes) {
      expect(o.verified).toBe(false);
      expect(isHumane(o.error?.message), o.error?.message).toBe(true);
    }
    expect(isHumane(shown.lastError?.message)).toBe(true);
  });
});
