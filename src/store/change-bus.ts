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
}

export class LocalChangeBus implements ChangeBus {
  private readonly listeners = new Map<AccountId, Set<ChangeListener>>();

  publish(change: Change): void {
    const set = this.listeners.get(change.accountId);
    if (set === undefined) return;
    for (const l of [...set]) {
      try {
        l(change);
      } catch {
        // A broken listener must not stop delivery to the others; sessions handle their own errors.
      }
    }
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
