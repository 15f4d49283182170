import { describe, expect, it } from 'vitest';
import { LIMITS } from '../../shared/limits.js';
import { delayNoticeDue, expired, retryDelayMs } from './backoff.js';

describe('retry backoff', () => {
  it('follows the schedule: 1m, 5m, 15m, 30m, 1h, then every 2h', () => {
    const s = LIMITS.outbound.retrySeconds;
    expect([1, 2, 3, 4, 5, 6, 7, 50].map((n) => retryDelayMs(n, s) / 60_000)).toEqual([1, 5, 15, 30, 60, 120, 120, 120]);
    expect(retryDelayMs(0, s)).toBe(60_000);
  });

  it('gives up after the lifetime (about five days) and sends one delay notice after a few hours', () => {
    const day = 86_400_000;
    expect(expired(0, 5 * day - 1, LIMITS.outbound.lifetimeSeconds)).toBe(false);
    expect(expired(0, 5 * day, LIMITS.outbound.lifetimeSeconds)).toBe(true);
    const h = 3_600_000;
    expect(delayNoticeDue(0, 3 * h, LIMITS.outbound.delayNoticeSeconds, false)).toBe(false);
    expect(delayNoticeDue(0, 4 * h, LIMITS.outbound.delayNoticeSeconds, false)).toBe(true);
    expect(delayNoticeDue(0, 4 * h, LIMITS.outbound.delayNoticeSeconds, true)).toBe(false);
  });

  it('with the whole schedule, five days hold about 60 attempts', () => {
    let t = 0;
    let n = 0;
    while (!expired(0, t, LIMITS.outbound.lifetimeSeconds)) t += retryDelayMs(++n, LIMITS.outbound.retrySeconds);
    expect(n).toBeGreaterThan(55);
    expect(n).toBeLessThan(70);
  });
});
