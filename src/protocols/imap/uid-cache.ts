/**
 * The UIDs of recently selected mailboxes, shared by every session of one store: a SELECT of a big
 * mailbox reads its UID list once, and the sessions that select it hold views of the same array
 * (4 bytes per message in total, not per session) until they change their own view (UidList copies
 * on write). The cache follows the change bus, so it is exactly the committed state:
 *
 * - `added`: new UIDs are written past the end of the array, where no view looks (views are
 *   `subarray(0, n)` of it); a full array is replaced by a larger copy.
 * - `expunged`: a new array without them (old views keep the old one, untouched).
 * - a deleted mailbox is dropped.
 *
 * A list read while a change for its mailbox was published is not kept (it may or may not include
 * the change). Entries are dropped least recently used first beyond LIMITS.imap.uidCacheMessages.
 */
import { LIMITS } from '../../shared/limits.js';
import type { MailStore } from '../../store/store.js';
import type { AccountId, Change, MailboxId } from '../../store/types.js';

interface Entry {
  accountId: AccountId;
  data: Uint32Array;
  length: number;
}

interface AccountWatch {
  entries: number;
  /** Sessions loading a list of this account's mailboxes: the watch must stay while they do. */
  loading: number;
  unsubscribe: () => void;
}

const caches = new WeakMap<MailStore, UidCache>();

export class UidCache {
  private readonly entries = new Map<MailboxId, Entry>();
  private readonly watches = new Map<AccountId, AccountWatch>();
  /** Changes seen per mailbox while a list of it is being read. */
  private readonly changed = new Map<MailboxId, number>();
  private total = 0;

  constructor(private readonly store: MailStore, private readonly maxMessages: number = LIMITS.imap.uidCacheMessages) {}

  /** The cache shared by everything serving this store. */
  static for(store: MailStore): UidCache {
    let c = caches.get(store);
    if (c === undefined) {
      c = new UidCache(store);
      caches.set(store, c);
    }
    return c;
  }

  /** Mailboxes and UIDs held (for tests and metrics). */
  get size(): { mailboxes: number; messages: number } {
    return { mailboxes: this.entries.size, messages: this.total };
  }

  /** The mailbox's UIDs, ascending: a read-only view, shared. */
  async get(accountId: AccountId, mailboxId: MailboxId): Promise<Uint32Array> {
    const hit = this.current(mailboxId);
    if (hit !== null) return hit;
    const watch = this.watch(accountId);
    watch.loading++;
    const before = this.changed.get(mailboxId) ?? 0;
    this.changed.set(mailboxId, before);
    let uids: Uint32Array;
    try {
      uids = await this.store.listUids(mailboxId);
    } finally {
      watch.loading--;
    }
    const clean = (this.changed.get(mailboxId) ?? 0) === before;
    if (watch.loading === 0) this.changed.delete(mailboxId);
    if (clean && !this.entries.has(mailboxId)) this.add(mailboxId, { accountId, data: uids, length: uids.length });
    this.release(accountId);
    return clean ? this.current(mailboxId) ?? uids : uids;
  }

  /** The current cached view of a mailbox, or null when it is not cached. */
  current(mailboxId: MailboxId): Uint32Array | null {
    const e = this.entries.get(mailboxId);
    if (e === undefined) return null;
    // Most recently used last.
    this.entries.delete(mailboxId);
    this.entries.set(mailboxId, e);
    return e.data.subarray(0, e.length);
  }

  private add(mailboxId: MailboxId, e: Entry): void {
    if (e.length > this.maxMessages) return;
    this.entries.set(mailboxId, e);
    this.total += e.length;
    const w = this.watch(e.accountId);
    w.entries++;
    for (const [id, old] of this.entries) {
      if (this.total <= this.maxMessages) break;
      this.drop(id, old);
    }
  }

  private drop(mailboxId: MailboxId, e: Entry): void {
    this.entries.delete(mailboxId);
    this.total -= e.length;
    const w = this.watches.get(e.accountId);
    if (w !== undefined) {
      w.entries--;
      this.release(e.accountId);
    }
  }

  private watch(accountId: AccountId): AccountWatch {
    let w = this.watches.get(accountId);
    if (w === undefined) {
      w = { entries: 0, loading: 0, unsubscribe: () => undefined };
      this.watches.set(accountId, w);
      w.unsubscribe = this.store.bus.subscribe(accountId, (c) => this.onChange(c));
    }
    return w;
  }

  private release(accountId: AccountId): void {
    const w = this.watches.get(accountId);
    if (w !== undefined && w.entries <= 0 && w.loading <= 0) {
      w.unsubscribe();
      this.watches.delete(accountId);
    }
  }

  private onChange(c: Change): void {
    const n = this.changed.get(c.mailboxId);
    if (n !== undefined && c.kind !== 'flags') this.changed.set(c.mailboxId, n + 1);
    const e = this.entries.get(c.mailboxId);
    if (e === undefined) return;
    switch (c.kind) {
      case 'added':
        this.append(e, c.entries.map((x) => x.uid).sort((a, b) => a - b));
        return;
      case 'expunged':
        this.remove(e, new Set(c.uids));
        return;
      case 'mailbox':
        if (c.what === 'deleted') this.drop(c.mailboxId, e);
        return;
      case 'flags':
        return;
    }
  }

  private append(e: Entry, uids: readonly number[]): void {
    let max = e.length === 0 ? 0 : (e.data[e.length - 1] ?? 0);
    const fresh = uids.filter((u) => {
      if (u <= max) return false;
      max = u;
      return true;
    });
    if (fresh.length === 0) return;
    if (e.length + fresh.length > e.data.length) {
      const grown = new Uint32Array(Math.ceil((e.length + fresh.length) * 1.25) + 64);
      grown.set(e.data.subarray(0, e.length));
      e.data = grown;
    }
    // Past the end of every view handed out: nobody sees these slots change.
    e.data.set(fresh, e.length);
    e.length += fresh.length;
    this.total += fresh.length;
  }

  private remove(e: Entry, uids: ReadonlySet<number>): void {
    const next = new Uint32Array(e.length);
    let w = 0;
    for (let i = 0; i < e.length; i++) {
      const u = e.data[i] ?? 0;
      if (!uids.has(u)) next[w++] = u;
    }
    if (w === e.length) return;
    this.total -= e.length - w;
    e.data = next;
    e.length = w;
  }
}
