import { describe, expect, it } from 'vitest';
import { RateLimiter } from './rate.js';

describe('RateLimiter', () => {
  it('allows `limit` messages per window per user, then frees them as the window slides', () => {
    let now = 0;
    const r = new RateLimiter(3, 1000, () => now);
    for (let i = 0; i < 3; i++) {
      expect(r.allows(1)).toBe(true);
      r.record(1);
      now += 100;
    }
    expect(r.allows(1)).toBe(false);
    expect(r.allows(2)).toBe(true);
    now = 1001;
    expect(r.allows(1)).toBe(true);
    expect(r.allows(1, 2)).toBe(false);
    now = 1300;
    expect(r.allows(1, 3)).toBe(true);
  });
});
