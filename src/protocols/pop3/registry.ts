/**
 * State POP sessions share across the server's POP listeners: which accounts have a POP session open
 * (RFC 1939 §8 / RFC 2449 §8.1.1 [IN-USE]: one at a time per maildrop; IMAP is never blocked), and
 * when each account last logged in over POP (RFC 2449 §6.8 LOGIN-DELAY). In memory: one server process.
 */
import type { MailStore } from '../../store/store.js';

const registries = new WeakMap<MailStore, PopRegistry>();

export class PopRegistry {
  private readonly locked = new Set<number>();
  private readonly lastLogin = new Map<number, number>();

  constructor(private readonly now: () => number = Date.now) {}

  static for(store: MailStore): PopRegistry {
    let r = registries.get(store);
    if (r === undefined) {
      r = new PopRegistry();
      registries.set(store, r);
    }
    return r;
  }

  /** Takes the account's maildrop lock; false when another POP session holds it. */
  lock(accountId: number): boolean {
    if (this.locked.has(accountId)) return false;
    this.locked.add(accountId);
    return true;
  }

  unlock(accountId: number): void {
    this.locked.delete(accountId);
  }

  /** Seconds until the account may log in again under a delay of `seconds` (0: now). */
  waitFor(accountId: number, seconds: number): number {
    if (seconds <= 0) return 0;
    const last = this.lastLogin.get(accountId);
    if (last === undefined) return 0;
    return Math.max(0, Math.ceil((last + seconds * 1000 - this.now()) / 1000));
  }

  recordLogin(accountId: number): void {
    this.lastLogin.set(accountId, this.now());
    // Bounded: entries older than any sensible delay (a day) go when the map grows.
    if (this.lastLogin.size > 100_000) {
      const cutoff = this.now() - 86_400_000;
      for (const [id, t] of this.lastLogin) if (t < cutoff) this.lastLogin.delete(id);
    }
  }
}
