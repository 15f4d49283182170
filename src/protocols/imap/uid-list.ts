/**
 * The message sequence map of one session: a sorted list of UIDs where index + 1 is the sequence
 * number (RFC 9051 §2.3.1.2). Kept in a growable Uint32Array: 4 bytes per message, not megabytes of
 * boxed numbers. The array may be a view shared with other sessions (uid-cache.ts): it is copied
 * before this list changes it, and adopt() goes back to sharing once the view is the same again.
 */
export class UidList {
  private data: Uint32Array;
  private n: number;
  /** `data` belongs to someone else: copy before writing. */
  private shared: boolean;

  constructor(initial: Uint32Array = new Uint32Array(0), shared = false) {
    this.data = initial;
    this.n = initial.length;
    this.shared = shared;
  }

  /** Shares `view` (read-only, the same UIDs this list will hold) instead of a private copy. */
  adopt(view: Uint32Array): void {
    this.data = view;
    this.n = view.length;
    this.shared = true;
  }

  /** Whether the array is shared (for tests and memory accounting). */
  get isShared(): boolean {
    return this.shared;
  }

  private own(capacity: number): void {
    if (!this.shared && capacity <= this.data.length) return;
    const copy = new Uint32Array(Math.max(capacity, this.shared ? this.n : Math.ceil(this.data.length * 1.5) + 16));
    copy.set(this.data.subarray(0, this.n));
    this.data = copy;
    this.shared = false;
  }

  get length(): number {
    return this.n;
  }

  /** UID at 1-based sequence number, or 0 when out of range. */
  uidAt(seq: number): number {
    return seq >= 1 && seq <= this.n ? (this.data[seq - 1] ?? 0) : 0;
  }

  /** 1-based sequence number of a UID, or 0 when absent. */
  seqOf(uid: number): number {
    let lo = 0;
    let hi = this.n - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const v = this.data[mid] ?? 0;
      if (v === uid) return mid + 1;
      if (v < uid) lo = mid + 1;
      else hi = mid - 1;
    }
    return 0;
  }

  /** Index of the first UID >= uid (0-based), for range walks. */
  lowerBound(uid: number): number {
    let lo = 0;
    let hi = this.n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.data[mid] ?? 0) < uid) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  get maxUid(): number {
    return this.n === 0 ? 0 : (this.data[this.n - 1] ?? 0);
  }

  /** Appends UIDs larger than every present one (new messages), ascending. */
  push(uids: readonly number[]): void {
    if (uids.length === 0) return;
    this.own(this.n + uids.length);
    for (const u of uids) this.data[this.n++] = u;
  }

  /** The largest UID that stays when `gone` are removed (0 when none stays). */
  maxWithout(gone: ReadonlySet<number>): number {
    for (let i = this.n - 1; i >= 0; i--) {
      const u = this.data[i] ?? 0;
      if (!gone.has(u)) return u;
    }
    return 0;
  }

  /**
   * Removes the given UIDs; returns the sequence numbers they had, in the order EXPUNGE responses must
   * be sent (descending, so each number is right at the moment it is sent: RFC 9051 §7.5.1).
   */
  remove(uids: ReadonlySet<number>): number[] {
    if (uids.size === 0) return [];
    this.own(this.n);
    const seqs: number[] = [];
    let w = 0;
    for (let r = 0; r < this.n; r++) {
      const u = this.data[r] ?? 0;
      if (uids.has(u)) seqs.push(r + 1);
      else this.data[w++] = u;
    }
    this.n = w;
    return seqs.reverse();
  }

  /** Every UID in [from, to] (inclusive) present in the list, ascending. */
  *between(from: number, to: number): Generator<number> {
    for (let i = this.lowerBound(from); i < this.n; i++) {
      const u = this.data[i] ?? 0;
      if (u > to) return;
      yield u;
    }
  }

  toArray(): number[] {
    return Array.from(this.data.subarray(0, this.n));
  }
}
