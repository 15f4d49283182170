import { describe, expect, it } from 'vitest';
import { VerifiedCache } from './cache.js';

describe('VerifiedCache', () => {
  it('remembers verified credentials until they expire', () => {
    let now = 1000;
    const c = new VerifiedCache({ ttlMs: 100, now: () => now });
    expect(c.has(1, 'h1', 'pw')).toBe(false);
    c.add(1, 'h1', 'pw');
    expect(c.has(1, 'h1', 'pw')).toBe(true);
    expect(c.has(1, 'h1', 'pW')).toBe(false);
    expect(c.has(2, 'h1', 'pw')).toBe(false);
    now += 99;
    expect(c.has(1, 'h1', 'pw')).toBe(true);
    now += 1;
    expect(c.has(1, 'h1', 'pw')).toBe(false);
    expect(c.size).toBe(0);
  });

  it('no longer matches once the stored hash changes', () => {
    const c = new VerifiedCache();
    c.add(1, 'old-hash', 'pw');
    expect(c.has(1, 'new-hash', 'pw')).toBe(false);
  });

  it('does not confuse fields across the boundaries', () => {
    const c = new VerifiedCache();
    c.add(1, 'h', '1');
    expect(c.has(11, 'h', '')).toBe(false);
  });

  it('keys are per process: a second cache does not know the first one`s entries', () => {
    const a = new VerifiedCache();
    const b = new VerifiedCache();
    a.add(1, 'h', 'pw');
    expect(b.has(1, 'h', 'pw')).toBe(false);
  });

  it('is bounded, dropping the oldest first', () => {
    const c = new VerifiedCache({ maxEntries: 3 });
    for (let i = 1; i <= 5; i++) c.add(i, 'h', 'pw');
    expect(c.size).toBe(3);
    expect(c.has(1, 'h', 'pw')).toBe(false);
    expect(c.has(2, 'h', 'pw')).toBe(false);
    expect(c.has(5, 'h', 'pw')).toBe(true);
  });
});
