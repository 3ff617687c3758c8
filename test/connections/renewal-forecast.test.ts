import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DAY_MS, forecastGrant, renewByIsFinal } from '../../src/connections/grant-lifetime.ts';
import { isDue, KEEP_ALIVE_LEAD_MS, nextRefreshAt, REFRESH_LEAD_MS } from '../../src/connections/refresh-timing.ts';
import { sqliteTestStore } from '../helpers/store.ts';
import type { OAuthServer } from '../peers/oauth-server.ts';
import { connect, connectionRow, openOAuthWorld, startSharedOAuthServer, type OAuthWorld } from './harness.ts';

const DOCS = 'https://example.com/docs/refresh-tokens';
const T0 = Date.UTC(2026, 0, 1);

describe('the renewal forecast, on a controlled clock', () => {
  const values = {};

  it('a fixed absolute lifetime ends renewBy where refreshes cannot move it', () => {
    const lifetime = { absoluteDays: 100, extendsOnRefresh: false, docsUrl: DOCS };
    const authorized = forecastGrant(lifetime, { at: T0, event: 'authorized', values, previousRenewBy: null });
    expect(authorized).toEqual({ renewBy: T0 + 100 * DAY_MS, keepAliveBy: null });
    const refreshed = forecastGrant(lifetime, {
      at: T0 + 40 * DAY_MS,
      event: 'refreshed',
      values,
      previousRenewBy: authorized.renewBy,
    });
    expect(refreshed.renewBy).toBe(T0 + 100 * DAY_MS);
    expect(renewByIsFinal(lifetime, values)).toBe(true);
  });

  it('an idle lifetime slides with each refresh, and asks Hitch to refresh before it lapses (Microsoft: 90 days)', () => {
    const lifetime = { idleDays: 90, extendsOnRefresh: true, docsUrl: DOCS };
    const first = forecastGrant(lifetime, { at: T0, event: 'authorized', values, previousRenewBy: null });
    expect(first).toEqual({ renewBy: T0 + 90 * DAY_MS, keepAliveBy: T0 + 90 * DAY_MS });
    const later = forecastGrant(lifetime, {
      at: T0 + 30 * DAY_MS,
      event: 'refreshed',
      values,
      previousRenewBy: first.renewBy,
    });
    expect(later.renewBy).toBe(T0 + 120 * DAY_MS);
    expect(renewByIsFinal(lifetime, values)).toBe(false);
    // A token that never expires is still refreshed a day before the idle lifetime would lapse.
    expect(nextRefreshAt(T0, null, first.keepAliveBy)).toBe(T0 + 90 * DAY_MS - KEEP_ALIVE_LEAD_MS);
    expect(isDue({ expires_at: null, next_refresh_at: T0 + 89 * DAY_MS }, T0 + 89 * DAY_MS)).toBe(true);
    // An hour-long access token is renewed for its own expiry first.
    expect(nextRefreshAt(T0, T0 + 3_600_000, first.keepAliveBy)).toBe(T0 + 3_600_000 - REFRESH_LEAD_MS);
  });

  it('a rotating refresh token restarts its absolute lifetime on each refresh (Xero: 60 days)', () => {
    const lifetime = { absoluteDays: 60, extendsOnRefresh: true, docsUrl: DOCS };
    const refreshed = forecastGrant(lifetime, {
      at: T0 + 59 * DAY_MS,
      event: 'refreshed',
      values,
      previousRenewBy: T0 + 60 * DAY_MS,
    });
    expect(refreshed).toEqual({ renewBy: T0 + 119 * DAY_MS, keepAliveBy: T0 + 119 * DAY_MS });
  });

  it('an absolute lifetime that applies only when a parameter says so (Google in Testing: 7 days)', () => {
    const lifetime = {
      absoluteDays: 7,
      idleDays: 183,
      absoluteWhen: 'testing',
      extendsOnRefresh: false,
      docsUrl: DOCS,
    };
    const testing = forecastGrant(lifetime, {
      at: T0,
      event: 'authorized',
      values: { testing: true },
      previousRenewBy: null,
    });
    expect(testing).toEqual({ renewBy: T0 + 7 * DAY_MS, keepAliveBy: null });
    expect(renewByIsFinal(lifetime, { testing: true })).toBe(true);
    const published = forecastGrant(lifetime, { at: T0, event: 'authorized', values: {}, previousRenewBy: null });
    expect(published).toEqual({ renewBy: T0 + 183 * DAY_MS, keepAliveBy: T0 + 183 * DAY_MS });
    expect(renewByIsFinal(lifetime, {})).toBe(false);
  });

  it('without a documented lifetime, the end the service names is final and kept across refreshes', () => {
    const said = forecastGrant(undefined, {
      at: T0,
      event: 'authorized',
      values,
      previousRenewBy: null,
      serviceEndsAt: T0 + 5 * DAY_MS,
    });
    expect(said).toEqual({ renewBy: T0 + 5 * DAY_MS, keepAliveBy: null });
    expect(
      forecastGrant(undefined, { at: T0 + DAY_MS, event: 'refreshed', values, previousRenewBy: said.renewBy }),
    ).toEqual(said);
    expect(renewByIsFinal(undefined, values)).toBe(true);
  });
});

describe('renewBy and the reauthorize warning through a real authorization', () => {
  let server: OAuthServer;
  let w: OAuthWorld | undefined;
  beforeAll(async () => {
    server = await startSharedOAuthServer({ accessTokenTtlSeconds: 3600 });
  });
  afterEach(async () => {
    await w?.close();
    w = undefined;
  });
  afterAll(async () => {
    await server.close();
  });

  const shown = async (world: OAuthWorld, id: string) =>
    (await world.t.app.inject({ method: 'GET', url: `/api/v1/connections/${id}`, headers: world.headers })).json<{
      renewBy: string | null;
      reauthorizeBy: string | null;
    }>();
  const warned = async (world: OAuthWorld, now: number) =>
    (await world.t.connections.notifications.list([world.teamId], now)).filter((n) => n.kind === 'renew_by');

  it('shows a final renewBy, and warns HITCH_RENEW_BY_WARNING_DAYS before it and not sooner', async () => {
    w = await openOAuthWorld(sqliteTestStore, {
      sharedServer: server,
      appOverrides: { grantLifetime: { absoluteDays: 30, docsUrl: DOCS } },
      env: { HITCH_RENEW_BY_WARNING_DAYS: '3' },
    });
    const before = Date.now();
    const { id } = await connect(w);
    const view = await shown(w, id);
    const renewBy = Date.parse(view.renewBy!);
    expect(renewBy).toBeGreaterThanOrEqual(before + 30 * DAY_MS);
    expect(renewBy).toBeLessThanOrEqual(Date.now() + 30 * DAY_MS);
    expect(view.reauthorizeBy).toBe(view.renewBy);

    expect(await warned(w, renewBy - 4 * DAY_MS)).toEqual([]);
    const warning = await warned(w, renewBy - 2 * DAY_MS);
    expect(warning).toHaveLength(1);
    expect(warning[0]!.message).toContain(`must be reauthorized by ${view.renewBy!.slice(0, 10)} (in 2 days)`);

    // A refresh does not move a fixed lifetime.
    await w.t.connections.renewal.renew(id, { staleVersion: (await connectionRow(w, id))!.credentials_version });
    expect((await shown(w, id)).renewBy).toBe(view.renewBy);
  });

  it('keeps an idle lifetime alive instead of warning: the sweep refreshes it and renewBy moves', async () => {
    w = await openOAuthWorld(sqliteTestStore, {
      sharedServer: server,
      appOverrides: { grantLifetime: { idleDays: 14, extendsOnRefresh: true, docsUrl: DOCS } },
    });
    const { id } = await connect(w);
    const view = await shown(w, id);
    expect(view.renewBy).not.toBeNull();
    expect(view.reauthorizeBy).toBeNull();
    expect(await warned(w, Date.parse(view.renewBy!) - DAY_MS)).toEqual([]);

    // The idle end draws near (the keep-alive's refresh time has come): the sweep refreshes with no traffic.
    const row = (await connectionRow(w, id))!;
    const earlier = row.renew_by! - 10 * DAY_MS;
    await w.t.store.db
      .updateTable('connections')
      .set({ renew_by: earlier, next_refresh_at: Date.now() - 1 })
      .where('id', '=', id)
      .execute();
    const grants = server.grants.refresh_token;
    expect(await w.t.connections.sweep()).toMatchObject({ renewed: 1, failed: 0 });
    expect(server.grants.refresh_token - grants).toBe(1);
    expect(Date.parse((await shown(w, id)).renewBy!)).toBeGreaterThan(Date.now() + 13 * DAY_MS);
  });
});
