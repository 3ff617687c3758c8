import { describe, expect, it } from 'vitest';
import {
  backoffMs,
  isDue,
  nextRefreshAt,
  REFRESH_LEAD_MS,
  refreshLeadMs,
  RETRY_BASE_MS,
  RETRY_MAX_MS,
} from '../../src/connections/refresh-timing.ts';

describe('nextRefreshAt', () => {
  const issued = 1_000_000;

  it('renews REFRESH_LEAD_MS before expiry when the lifetime is long', () => {
    const expires = issued + 60 * 60_000;
    expect(nextRefreshAt(issued, expires)).toBe(expires - REFRESH_LEAD_MS);
  });

  it('renews at half the lifetime when that is shorter than the lead', () => {
    expect(nextRefreshAt(issued, issued + 4 * 60_000)).toBe(issued + 2 * 60_000);
    expect(nextRefreshAt(issued, issued + 3_001)).toBe(issued + 3_001 - 1_500);
  });

  it('switches from half the lifetime to the lead at exactly twice the lead', () => {
    expect(nextRefreshAt(issued, issued + 2 * REFRESH_LEAD_MS)).toBe(issued + REFRESH_LEAD_MS);
    expect(refreshLeadMs(2 * REFRESH_LEAD_MS + 2)).toBe(REFRESH_LEAD_MS);
  });

  it('is null for a token that does not expire, and the expiry itself for one already expired', () => {
    expect(nextRefreshAt(issued, null)).toBeNull();
    expect(nextRefreshAt(issued, issued - 10)).toBe(issued - 10);
  });
});

describe('backoffMs', () => {
  it('doubles from RETRY_BASE_MS with each failure in a row, without jitter at the top of the range', () => {
    const top = () => 1;
    expect([1, 2, 3, 4].map((n) => backoffMs(n, top))).toEqual([
      RETRY_BASE_MS,
      2 * RETRY_BASE_MS,
      4 * RETRY_BASE_MS,
      8 * RETRY_BASE_MS,
    ]);
  });

  it('never waits more than RETRY_MAX_MS, however many failures', () => {
    expect(backoffMs(50, () => 1)).toBe(RETRY_MAX_MS);
    expect(backoffMs(10_000, () => 1)).toBe(RETRY_MAX_MS);
  });

  it('takes off up to 20% so connections failing together do not retry together', () => {
    expect(backoffMs(1, () => 0)).toBe(Math.round(RETRY_BASE_MS * 0.8));
    for (let i = 0; i < 200; i++) {
      const wait = backoffMs(3);
      expect(wait).toBeGreaterThanOrEqual(Math.round(4 * RETRY_BASE_MS * 0.8));
      expect(wait).toBeLessThanOrEqual(4 * RETRY_BASE_MS);
    }
  });

  it('treats zero or fewer failures as the first', () => {
    expect(backoffMs(0, () => 1)).toBe(RETRY_BASE_MS);
    expect(backoffMs(-3, () => 1)).toBe(RETRY_BASE_MS);
  });
});

describe('isDue', () => {
  it('is due from next_refresh_at on, or from the expiry when no refresh time is set', () => {
    expect(isDue({ expires_at: 100, next_refresh_at: 50 }, 49)).toBe(false);
    expect(isDue({ expires_at: 100, next_refresh_at: 50 }, 50)).toBe(true);
    expect(isDue({ expires_at: 100, next_refresh_at: null }, 99)).toBe(false);
    expect(isDue({ expires_at: 100, next_refresh_at: null }, 100)).toBe(true);
  });

  it('is never due for credentials that do not expire, unless a keep-alive refresh was scheduled', () => {
    expect(isDue({ expires_at: null, next_refresh_at: null }, Number.MAX_SAFE_INTEGER)).toBe(false);
    // An idle grant lifetime (renewal-forecast.test.ts) schedules a refresh even for a token that never expires.
    expect(isDue({ expires_at: null, next_refresh_at: 1 }, 0)).toBe(false);
    expect(isDue({ expires_at: null, next_refresh_at: 1 }, 1)).toBe(true);
  });
});
