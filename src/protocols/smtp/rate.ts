/**
 * Per-user submission rate: at most `limit` messages in any `windowMs` (a sliding window of the
 * times of the accepted messages). One limiter per store, shared by ports 587 and 465.
 */
import { LIMITS } from '../../shared/limits.js';
import type { AccountId } from '../../store/types.js';

export class RateLimiter {
  private readonly sent = new Map<AccountId, number[]>();

  constructor(readonly limit: number, readonly windowMs: number, private readonly now: () => number = Date.now) {}

  private recent(id: AccountId): number[] {
    const since = this.now() - this.windowMs;
    const times = (this.sent.get(id) ?? []).filter((t) => t > since);
    if (times.length === 0) this.sent.delete(id);
    else this.sent.set(id, times);
    return times;
  }

  /** Whether the user may send `count` more messages now. */
  allows(id: AccountId, count = 1): boolean {
    return this.recent(id).length + count <= this.limit;
  }

  /** Records an accepted message. */
  record(id: AccountId): void {
    const times = this.recent(id);
    times.push(this.now());
    this.sent.set(id, times);
  }
}

const perStore = new WeakMap<object, RateLimiter>();

/** The limiter of one store (so both submission listeners count together). */
export function submissionLimiter(store: object): RateLimiter {
  let r = perStore.get(store);
  if (r === undefined) {
    r = new RateLimiter(LIMITS.smtp.submissionsPerUserPerHour, 60 * 60_000);
    perStore.set(store, r);
  }
  return r;
}
