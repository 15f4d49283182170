/**
 * MailStore: the one store every protocol uses. Operations are transactions on the engine port,
 * followed by a change published on the bus. UID, modseq, counter and quota rules live here and in
 * the modules it delegates to; engines only keep rows.
 */
import { LocalChangeBus, type ChangeBus } from './change-bus.js';
import type { StoreContext } from './context.js';
import type { DeletedStats, Engine, SortField, SortRow } from './engine.js';
import { StoreError } from './errors.js';
import { appendPrepared, prepareAppend, type AppendItem, type AppendResult, type PreparedAppend } from './append.js';
import { createDefaultMailboxes, createMailbox, deleteMailbox, renameMailbox, removeLostSubscription, setSubscribed } from './mailboxes.js';
import { applyPopUpdate, setPopSettings, type PopSettings, type PopUpdate } from './pop.js';
import { copyMessages, destroy, expunge, flagsAlreadySo, hasDeleted, storeFlags, type CopyResult, type StoreFlagsResult } from './messages.js';
import { canonicalName } from './names.js';
import { claimQueue, enqueue, markDeferred, markDelivered, markFailed, type QueuedNotice } from './queue.js';
import { replaceMessage, type ReplaceResult } from './replace.js';
import type { Criterion, UidRanges } from './search.js';
import type {
  Account, AccountId, AccountSettings, Alias, DkimKey, Domain, Entry, EntryWithMessage, ExtraField, FlagOp, Mailbox, MailboxId,
  QueueRow, SpecialUse,
} from './types.js';

import { domainOf, normalizeAddress, normalizeAliasAddress } from './address.js';

export { domainOf, normalizeAddress, normalizeAliasAddress };

export class MailStore {
  readonly ctx: StoreContext;

  constructor(readonly engine: Engine, readonly bus: ChangeBus = new LocalChangeBus(), now: () => number = Date.now) {
    this.ctx = { engine, bus, now };
  }

  close(): Promise<void> {
    return this.engine.close();
  }

  // ---- domains, accounts, aliases ----

  async addDomain(name: string): Promise<Domain> {
    const n = name.trim().toLowerCase();
    if (!/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/.test(n)) throw new StoreError('INVALID', `Not a domain name: ${name}`);
    return this.engine.write(async (tx) => {
      if ((await tx.getDomain(n)) !== null) throw new StoreError('ALREADYEXISTS', `Domain ${n} exists`);
      return tx.insertDomain(n, this.ctx.now());
    });
  }

  listDomains(): Promise<Domain[]> {
    return this.engine.listDomains();
  }

  async deleteDomain(name: string): Promise<void> {
    const n = name.trim().toLowerCase();
    await this.engine.write(async (tx) => {
      const users = (await tx.listAccounts()).filter((a) => domainOf(a.address) === n);
      if (users.length > 0) throw new StoreError('CANNOT', `Domain ${n} still has ${users.length} account(s)`);
      if (!(await tx.deleteDomain(n))) throw new StoreError('NONEXISTENT', `No domain ${n}`);
    });
  }

  /** Creates the account (and its domain as a local domain if new) with the default folders. */
  async createAccount(address: string, passwordHash: string): Promise<Account> {
    const addr = normalizeAddress(address);
    return this.engine.write(async (tx) => {
      if ((await tx.getAccountByAddress(addr)) !== null) throw new StoreError('ALREADYEXISTS', `Account ${addr} exists`);
      if ((await tx.getAlias(addr)) !== null) throw new StoreError('ALREADYEXISTS', `${addr} is an alias`);
      const domain = domainOf(addr);
      if ((await tx.getDomain(domain)) === null) await tx.insertDomain(domain, this.ctx.now());
      const account = await tx.insertAccount(addr, passwordHash, this.ctx.now());
      await createDefaultMailboxes(tx, this.ctx, account.id);
      return account;
    });
  }

  getAccount(id: AccountId): Promise<Account | null> {
    return this.engine.getAccount(id);
  }

  getAccountByAddress(address: string): Promise<Account | null> {
    return this.engine.getAccountByAddress(address.trim());
  }

  listAccounts(): Promise<Account[]> {
    return this.engine.listAccounts();
  }

  async deleteAccount(address: string): Promise<void> {
    await this.engine.write(async (tx) => {
      const a = await tx.getAccountByAddress(address.trim());
      if (a === null) throw new StoreError('NONEXISTENT', `No account ${address}`);
      await tx.deleteAccount(a.id);
    });
  }

  async setPasswordHash(address: string, passwordHash: string): Promise<void> {
    await this.engine.write(async (tx) => {
      const a = await tx.getAccountByAddress(address.trim());
      if (a === null) throw new StoreError('NONEXISTENT', `No account ${address}`);
      await tx.updateAccount(a.id, { passwordHash });
    });
  }

  async updateAccountSettings(id: AccountId, patch: AccountSettings): Promise<void> {
    await this.engine.write(async (tx) => {
      const a = await tx.getAccount(id);
      if (a === null) throw new StoreError('NONEXISTENT', 'No such account');
      await tx.updateAccount(id, { settings: { ...a.settings, ...patch } });
    });
  }

  async setQuota(id: AccountId, quotaBytes: number | null): Promise<void> {
    await this.engine.write(async (tx) => tx.updateAccount(id, { quotaBytes }));
  }

  /** An alias; "@domain" is the domain's catch-all (every address of it without an account or alias). */
  async addAlias(address: string, target: string): Promise<void> {
    const a = normalizeAliasAddress(address);
    const t = normalizeAddress(target);
    await this.engine.write(async (tx) => {
      if ((await tx.getAccountByAddress(a)) !== null) throw new StoreError('ALREADYEXISTS', `${a} is an account`);
      if ((await tx.getAlias(a)) !== null) throw new StoreError('ALREADYEXISTS', `Alias ${a} exists`);
      if ((await tx.getDomain(domainOf(a))) === null) await tx.insertDomain(domainOf(a), this.ctx.now());
      await tx.insertAlias({ address: a, target: t });
    });
  }

  async deleteAlias(address: string): Promise<void> {
    await this.engine.write(async (tx) => {
      if (!(await tx.deleteAlias(address.trim()))) throw new StoreError('NONEXISTENT', `No alias ${address}`);
    });
  }

  listAliases(): Promise<Alias[]> {
    return this.engine.listAliases();
  }

  // ---- mailboxes ----

  listMailboxes(accountId: AccountId): Promise<Mailbox[]> {
    return this.engine.listMailboxes(accountId);
  }

  async getMailbox(accountId: AccountId, id: MailboxId): Promise<Mailbox | null> {
    const mb = await this.engine.getMailbox(id);
    return mb !== null && mb.accountId === accountId ? mb : null;
  }

  findMailbox(accountId: AccountId, name: string): Promise<Mailbox | null> {
    return this.engine.findMailbox(accountId, canonicalName(name.normalize('NFC')));
  }

  createMailbox(accountId: AccountId, name: string, specialUse: SpecialUse | null = null): Promise<Mailbox> {
    return createMailbox(this.ctx, accountId, name, specialUse);
  }

  deleteMailbox(accountId: AccountId, id: MailboxId): Promise<void> {
    return deleteMailbox(this.ctx, accountId, id);
  }

  renameMailbox(accountId: AccountId, id: MailboxId, newName: string): Promise<void> {
    return renameMailbox(this.ctx, accountId, id, newName);
  }

  setSubscribed(accountId: AccountId, id: MailboxId, subscribed: boolean): Promise<void> {
    return setSubscribed(this.ctx, accountId, id, subscribed);
  }

  /** Subscribed names that have no mailbox: deleted while subscribed (RFC 9051 §6.3.7), sorted. */
  listLostSubscriptions(accountId: AccountId): Promise<string[]> {
    return this.engine.listLostSubscriptions(accountId);
  }

  /** Unsubscribes a name that has no mailbox (nothing happens when it was not subscribed). */
  unsubscribeName(accountId: AccountId, name: string): Promise<void> {
    return removeLostSubscription(this.ctx, accountId, canonicalName(name.normalize('NFC')));
  }

  // ---- messages ----

  /** Appends messages; they are parsed here, by the caller, and stored by appendPrepared (the writer). */
  append(accountId: AccountId, mailboxId: MailboxId, items: readonly AppendItem[]): Promise<AppendResult> {
    return this.appendPrepared(accountId, mailboxId, items.map(prepareAppend));
  }

  /** The write half of append. */
  appendPrepared(accountId: AccountId, mailboxId: MailboxId, prepared: readonly PreparedAppend[]): Promise<AppendResult> {
    return appendPrepared(this.ctx, accountId, mailboxId, prepared);
  }

  /**
   * Changes flags. Clients often re-send flags a message already has: that is answered from a read,
   * without a write transaction (and, with a remote writer, without a round trip to it).
   */
  async storeFlags(accountId: AccountId, mailboxId: MailboxId, ranges: UidRanges, op: FlagOp, bits: number,
    keywords: readonly string[], unchangedSince?: number): Promise<StoreFlagsResult> {
    const unchanged = await flagsAlreadySo(this.ctx, accountId, mailboxId, ranges, op, bits, keywords, unchangedSince);
    return unchanged ?? this.writeFlags(accountId, mailboxId, ranges, op, bits, keywords, unchangedSince);
  }

  /** The write half of storeFlags. */
  writeFlags(accountId: AccountId, mailboxId: MailboxId, ranges: UidRanges, op: FlagOp, bits: number,
    keywords: readonly string[], unchangedSince?: number): Promise<StoreFlagsResult> {
    return storeFlags(this.ctx, accountId, mailboxId, ranges, op, bits, keywords, unchangedSince);
  }

  /** Expunges \Deleted entries (within `ranges` when given); nothing to expunge costs only a read. */
  async expunge(accountId: AccountId, mailboxId: MailboxId, ranges?: UidRanges): Promise<number[]> {
    if (!(await hasDeleted(this.ctx, accountId, mailboxId, ranges))) return [];
    return this.writeExpunge(accountId, mailboxId, ranges);
  }

  /** The write half of expunge. */
  writeExpunge(accountId: AccountId, mailboxId: MailboxId, ranges?: UidRanges): Promise<number[]> {
    return expunge(this.ctx, accountId, mailboxId, ranges);
  }

  /** Changes the account's POP download settings (store/pop.ts). */
  setPopSettings(accountId: AccountId, patch: Partial<Pick<PopSettings, 'offer' | 'afterDownload' | 'dele'>>): Promise<PopSettings> {
    return setPopSettings(this.ctx, accountId, patch);
  }

  /** A POP session's QUIT: its deletions and after-download moves in one transaction. */
  popUpdate(accountId: AccountId, inboxId: MailboxId, update: PopUpdate): Promise<void> {
    return applyPopUpdate(this.ctx, accountId, inboxId, update);
  }

  destroy(accountId: AccountId, mailboxId: MailboxId, uids: readonly number[]): Promise<number[]> {
    return destroy(this.ctx, accountId, mailboxId, uids);
  }

  copy(accountId: AccountId, fromId: MailboxId, ranges: UidRanges, toId: MailboxId): Promise<CopyResult> {
    return copyMessages(this.ctx, accountId, fromId, ranges, toId, false);
  }

  move(accountId: AccountId, fromId: MailboxId, ranges: UidRanges, toId: MailboxId): Promise<CopyResult> {
    return copyMessages(this.ctx, accountId, fromId, ranges, toId, true);
  }

  /** Appends `item` to `toId` and removes `uid` from `fromId` atomically (RFC 8508 REPLACE). */
  replace(accountId: AccountId, fromId: MailboxId, uid: number, toId: MailboxId, item: AppendItem): Promise<ReplaceResult> {
    return this.replacePrepared(accountId, fromId, uid, toId, prepareAppend(item));
  }

  /** The write half of replace. */
  replacePrepared(accountId: AccountId, fromId: MailboxId, uid: number, toId: MailboxId, item: PreparedAppend): Promise<ReplaceResult> {
    return replaceMessage(this.ctx, accountId, fromId, uid, toId, item);
  }

  // ---- reads for a mailbox already checked to belong to the session's account ----

  listUids(mailboxId: MailboxId): Promise<Uint32Array> {
    return this.engine.listUids(mailboxId);
  }

  firstUnseenUid(mailboxId: MailboxId): Promise<number | null> {
    return this.engine.firstUnseenUid(mailboxId);
  }

  countDeleted(mailboxId: MailboxId): Promise<number> {
    return this.engine.countDeleted(mailboxId);
  }

  /** \Deleted counts and sizes of several mailboxes in one read (absent: none deleted). */
  deletedStats(mailboxIds: readonly MailboxId[]): Promise<Map<MailboxId, DeletedStats>> {
    return this.engine.deletedStats(mailboxIds);
  }

  getEntries(mailboxId: MailboxId, ranges: UidRanges, extras: readonly ExtraField[], changedSince?: number): Promise<EntryWithMessage[]> {
    return this.engine.getEntries(mailboxId, ranges, extras, changedSince);
  }

  getFlags(mailboxId: MailboxId, ranges: UidRanges, changedSince?: number): Promise<Entry[]> {
    return this.engine.getFlags(mailboxId, ranges, changedSince);
  }

  search(mailboxId: MailboxId, criterion: Criterion): Promise<number[]> {
    return this.engine.search(mailboxId, criterion);
  }

  sortRows(mailboxId: MailboxId, uids: readonly number[] | null, fields?: readonly SortField[]): Promise<SortRow[]> {
    return this.engine.sortRows(mailboxId, uids, fields);
  }

  expungedSince(mailboxId: MailboxId, since: number): Promise<number[]> {
    return this.engine.expungedSince(mailboxId, since);
  }

  readBlob(hash: string): Promise<Buffer> {
    return this.engine.readBlob(hash);
  }

  // ---- the outbound queue (store/queue.ts) and DKIM keys ----

  /** Queues a message for remote recipients; resolves once rows and bytes are durable. */
  enqueue(sender: string, recipients: readonly string[], raw: Buffer): Promise<number[]> {
    return enqueue(this.ctx, sender, recipients, raw);
  }

  /** Leases up to `limit` due rows to `owner` for `leaseMs`. */
  claimQueue(owner: string, limit: number, leaseMs: number): Promise<QueueRow[]> {
    return claimQueue(this.ctx, owner, limit, leaseMs);
  }

  markDelivered(id: number, owner: string): Promise<boolean> {
    return markDelivered(this.ctx, id, owner);
  }

  markDeferred(id: number, owner: string, error: string, retryAt: number, notice: QueuedNotice | null = null, notified = false): Promise<boolean> {
    return markDeferred(this.ctx, id, owner, error, retryAt, notice, notified);
  }

  markFailed(id: number, owner: string, bounce: QueuedNotice | null): Promise<boolean> {
    return markFailed(this.ctx, id, owner, bounce);
  }

  /** Ends the leases a node held before it restarted. */
  async releaseQueueLeases(owner: string): Promise<number> {
    return this.engine.write((tx) => tx.releaseQueueLeases(owner));
  }

  listQueue(): Promise<QueueRow[]> {
    return this.engine.listQueue();
  }

  getDkimKey(domain: string): Promise<DkimKey | null> {
    return this.engine.getDkimKey(domain.toLowerCase());
  }

  /** Stores `key` unless the domain has one already; the key the domain has afterwards. */
  async saveDkimKey(key: DkimKey): Promise<DkimKey> {
    const k = { ...key, domain: key.domain.toLowerCase() };
    return this.engine.write(async (tx) => {
      await tx.insertDkimKey(k);
      const stored = await tx.getDkimKey(k.domain);
      if (stored === null) throw new StoreError('CANNOT', `no DKIM key for ${k.domain}`);
      return stored;
    });
  }
}
