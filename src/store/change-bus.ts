/**
 * The change bus: every committed change is published here and reaches every session watching the
 * account (IMAP IDLE/NOOP, POP3, JMAP push). In one process it is this in-memory bus; across nodes an
 * engine-backed bus (PostgreSQL LISTEN/NOTIFY) implements the same interface.
 */
import type { AccountId, Change } from './types.js';

export type ChangeListener = (change: Change) => void;

export interface ChangeBus {
  publish(change: Change): void;
  /** Subscribes to one account's changes; returns the unsubscribe function. */
  subscribe(accountId: AccountId, listener: ChangeListener): () => void;
  /** Subscribes to every account's changes (forwarding to other threads or nodes). */
  subscribeAll(listener: ChangeListener): () => void;
}

export class LocalChangeBus implements ChangeBus {
  private readonly listeners = new Map<AccountId, Set<ChangeListener>>();
  private readonly everything = new Set<ChangeListener>();

  publish(change: Change): void {
    const set = this.listeners.get(change.accountId);
    const all = this.everything.size === 0 ? [] : [...this.everything];
    if (set === undefined && all.length === 0) return;
    for (const l of [...all, ...(set ?? [])]) {
      try {
        l(change);
      } catch {
        // A broken listener must not stop delivery to the others; sessions handle their own errors.
      }
    }
  }

  subscribeAll(listener: ChangeListener): () => void {
    this.everything.add(listener);
    return () => {
      this.everything.delete(listener);
    };
  }

  subscribe(accountId: AccountId, listener: ChangeListener): () => void {
    let set = this.listeners.get(accountId);
    if (set === undefined) {
      set = new Set();
      this.listeners.set(accountId, set);
    }
    set.add(listener);
    return () => {
      const s = this.listeners.get(accountId);
      if (s === undefined) return;
      s.delete(listener);
      if (s.size === 0) this.listeners.delete(accountId);
    };
  }
}
