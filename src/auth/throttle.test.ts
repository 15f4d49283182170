import { describe, expect, it } from 'vitest';
import { LIMITS } from '../shared/limits.js';
import { ipKey, LoginThrottle } from './throttle.js';

function setup(opts: { maxKeys?: number } = {}) {
  const clock = { now: 1_000_000 };
  const t = new LoginThrottle({ now: () => clock.now, ...opts });
  return { t, clock };
}

describe('LoginThrottle', () => {
  it('lets the allowed failures per IP through, then delays with a growing, capped wait', () => {
    const { t } = setup();
    const allowed = LIMITS.auth.failuresPerIpBeforeDelay;
    const delays: number[] = [];
    for (let i = 0; i < allowed + 6; i++) {
      delays.push(t.delayFor('192.0.2.1', `user${i}@example.com`));
      t.recordFailure('192.0.2.1', `user${i}@example.com`);
    }
    expect(delays.slice(0, allowed)).toEqual(Array<number>(allowed).fill(0));
    expect(delays.slice(allowed)).toEqual([1000, 2000, 4000, 8000, LIMITS.auth.maxDelayMs, LIMITS.auth.maxDelayMs]);
    expect(t.delayFor('192.0.2.2', 'someone@example.com')).toBe(0);
  });

  it('counts failures per account across addresses', () => {
    const { t } = setup();
    const allowed = LIMITS.auth.failuresPerAccountBeforeDelay;
    for (let i = 0; i < allowed; i++) t.recordFailure(`198.51.100.${i}`, 'Victim@Example.com');
    expect(t.delayFor('203.0.113.9', 'victim@example.com')).toBe(1000);
    expect(t.delayFor('203.0.113.9', 'other@example.com')).toBe(0);
  });

  it('forgets failures after the window', () => {
    const { t, clock } = setup();
    for (let i = 0; i < 10; i++) t.recordFailure('192.0.2.1', 'a@example.com');
    expect(t.delayFor('192.0.2.1', 'a@example.com')).toBe(LIMITS.auth.maxDelayMs);
    clock.now += LIMITS.auth.failureWindowMs;
    expect(t.delayFor('192.0.2.1', 'a@example.com')).toBe(0);
    expect(t.size).toEqual({ ips: 0, accounts: 0 });
  });

  it('a success clears that account`s failures from that address only', () => {
    const { t } = setup();
    for (let i = 0; i < 3; i++) t.recordFailure('192.0.2.1', 'a@example.com');
    for (let i = 0; i < 5; i++) t.recordFailure('198.51.100.7', 'a@example.com');
    t.recordFailure('192.0.2.1', 'b@example.com');
    t.recordSuccess('192.0.2.1', 'A@example.com');
    // IP 192.0.2.1 keeps its failure for b; the account keeps the failures from 198.51.100.7.
    expect(t.delayFor('192.0.2.1', 'c@example.com')).toBe(0);
    expect(t.delayFor('192.0.2.9', 'a@example.com')).toBe(1000);
    t.recordSuccess('198.51.100.7', 'a@example.com');
    expect(t.delayFor('192.0.2.9', 'a@example.com')).toBe(0);
  });

  it('counts IPv4-mapped addresses as IPv4 and IPv6 per /64', () => {
    expect(ipKey('::ffff:192.0.2.1')).toBe('192.0.2.1');
    expect(ipKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    const { t } = setup();
    for (let i = 1; i <= 3; i++) t.recordFailure(`2001:db8:1:2::${i}`, `u${i}@example.com`);
    expect(t.delayFor('2001:db8:1:2:ffff::9', 'x@example.com')).toBe(1000);
    expect(t.delayFor('2001:db8:1:3::1', 'x@example.com')).toBe(0);
  });

  it('keeps memory bounded, evicting the least recently failing keys', () => {
    const { t, clock } = setup({ maxKeys: 100 });
    for (let i = 0; i < 1000; i++) {
      clock.now += 1;
      t.recordFailure(`10.0.${i >> 8}.${i & 255}`, `user${i}@example.com`);
    }
    expect(t.size).toEqual({ ips: 100, accounts: 100 });
    for (let i = 0; i < 5; i++) t.recordFailure('10.0.3.231', 'user999@example.com');
    expect(t.delayFor('10.0.3.231', 'x@example.com')).toBeGreaterThan(0);
  });
});
