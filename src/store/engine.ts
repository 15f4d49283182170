/**
 * The engine port: the narrow storage interface every engine (SQLite, PostgreSQL) implements.
 * UID, modseq, counter and quota logic live above it, in store/; an engine only stores and finds rows.
 * One conformance suite (test/store-contract) runs against every engine.
 */
import type { Criterion, UidRanges } from './search.js';
import type {
  Account, AccountId, AccountSettings, Alias, DkimKey, Domain, Entry, EntryWithMessage, ExtraField, Mailbox,
  MailboxId, MessageId, QueueRow, SpecialUse,
} from './types.js';

/** A new outbound queue row (its blob reference is taken by putBlob in the same transaction). */
export type NewQueueRow = Pick<QueueRow, 'blob' | 'size' | 'sender' | 'recipient' | 'domain' | 'nextAttemptAt' | 'createdAt'>;

/** What a failed delivery attempt changes on its row. */
export interface QueueDeferral {
  attempts: number;
  nextAttemptAt: number;
  lastError: string;
  delayNotified: boolean;
}

/** Columns of a message content row, derived from the MIME parse at ingest. */
export interface NewMessage {
  accountId: AccountId;
  blob: string;
  size: number;
  headerSize: number;
  threadId: MessageId | null;
  date: number | null;
  /** The Date header's zone in minutes east of UTC (SEARCH SENT* compare the date as written); null with `date`. */
  dateZone: number | null;
  subject: string;
  baseSubject: string;
  /** Search-folded decoded address lists ("name <addr>, ..."), and first address/display keys for SORT. */
  fromText: string;
  toText: string;
  ccText: string;
  bccText: string;
  sortFrom: string;
  sortTo: string;
  sortCc: string;
  displayFrom: string;
  displayTo: string;
  messageIdHeader: string | null;
  inReplyTo: string | null;
  references: string | null;
  envelope: string;
  bodyStructure: string;
  body: string;
  mime: string;
  preview: string;
  hasAttachment: boolean;
}

export interface MailboxPatch {
  name?: string;
  specialUse?: SpecialUse | null;
  uidNext?: number;
  highestModseq?: number;
  messages?: number;
  unseen?: number;
  size?: number;
  subscribed?: boolean;
  keywords?: string[];
}

export interface NewMailbox {
  accountId: AccountId;
  name: string;
  specialUse: SpecialUse | null;
  uidValidity: number;
  highestModseq: number;
  subscribed: boolean;
}

export interface FlagUpdate {
  uid: number;
  flags: number;
  keywords: string[];
  modseq: number;
}

/** Sort keys of one entry, for SORT/THREAD and JMAP query ordering. */
export interface SortRow {
  uid: number;
  messageId: MessageId;
  threadId: MessageId;
  internalDate: number;
  date: number | null;
  size: number;
  baseSubject: string;
  /** The decoded Subject, search-folded (THREAD=REFERENCES tells replies by it: RFC 5256 §2.1). */
  subject: string;
  sortFrom: string;
  sortTo: string;
  sortCc: string;
  displayFrom: string;
  displayTo: string;
  messageIdHeader: string | null;
  inReplyTo: string | null;
  references: string | null;
}

/** The SortRow fields that depend on the message: SORT asks only for the ones it compares. */
export type SortField = Exclude<keyof SortRow, 'uid' | 'messageId' | 'threadId'>;

/** \Deleted messages of one mailbox: how many, and their total RFC822.SIZE in octets. */
export interface DeletedStats {
  messages: number;
  bytes: number;
}

export interface ReadOps {
  getAccount(id: AccountId): Promise<Account | null>;
  getAccountByAddress(address: string): Promise<Account | null>;
  listAccounts(): Promise<Account[]>;
  getDomain(name: string): Promise<Domain | null>;
  listDomains(): Promise<Domain[]>;
  getAlias(address: string): Promise<Alias | null>;
  listAliases(): Promise<Alias[]>;

  listMailboxes(accountId: AccountId): Promise<Mailbox[]>;
  countMailboxes(accountId: AccountId): Promise<number>;
  getMailbox(id: MailboxId): Promise<Mailbox | null>;
  findMailbox(accountId: AccountId, name: string): Promise<Mailbox | null>;
  /** Subscribed names with no mailbox (the mailbox was deleted while subscribed), sorted. */
  listLostSubscriptions(accountId: AccountId): Promise<string[]>;

  /** All UIDs of a mailbox, ascending. */
  listUids(mailboxId: MailboxId): Promise<Uint32Array>;
  firstUnseenUid(mailboxId: MailboxId): Promise<number | null>;
  countDeleted(mailboxId: MailboxId): Promise<number>;
  /**
   * Per mailbox, the \Deleted messages and the sum of their sizes (IMAP STATUS DELETED and
   * DELETED-STORAGE, RFC 9208 §4.1.4), for many mailboxes in one read; mailboxes with none are absent.
   */
  deletedStats(mailboxIds: readonly MailboxId[]): Promise<Map<MailboxId, DeletedStats>>;
  /** Entries whose UID is in ranges (and modseq > changedSince when given), ascending UID, with the asked extras. */
  getEntries(mailboxId: MailboxId, ranges: UidRanges, extras: readonly ExtraField[], changedSince?: number): Promise<EntryWithMessage[]>;
  /** Just the flag state (cheap path for FETCH FLAGS and STORE). */
  getFlags(mailboxId: MailboxId, ranges: UidRanges, changedSince?: number): Promise<Entry[]>;
  /** UIDs matching, ascending. */
  search(mailboxId: MailboxId, criterion: Criterion): Promise<number[]>;
  /**
   * Sort keys of the entries with these UIDs (all when null), ascending UID. With `fields`, only those
   * are read; the others hold neutral values ('' / 0 / null).
   */
  sortRows(mailboxId: MailboxId, uids: readonly number[] | null, fields?: readonly SortField[]): Promise<SortRow[]>;
  /** UIDs expunged from the mailbox with modseq > since (tombstones), ascending. */
  expungedSince(mailboxId: MailboxId, since: number): Promise<number[]>;
  /** Messages of the account with this Message-ID header (threading at ingest). */
  findThreadByMessageIds(accountId: AccountId, messageIds: readonly string[]): Promise<MessageId | null>;
  readBlob(hash: string): Promise<Buffer>;
  /** The whole outbound queue, by id. */
  listQueue(): Promise<QueueRow[]>;
  getQueueRow(id: number): Promise<QueueRow | null>;
  /** When the next queue row may be claimed (its next attempt, or its lease's end), or null for an empty queue. */
  nextQueueAttempt(): Promise<number | null>;
  getDkimKey(domain: string): Promise<DkimKey | null>;
}

export interface WriteTx extends ReadOps {
  insertDomain(name: string, now: number): Promise<Domain>;
  deleteDomain(name: string): Promise<boolean>;
  insertAlias(alias: Alias): Promise<void>;
  deleteAlias(address: string): Promise<boolean>;
  insertAccount(address: string, passwordHash: string, now: number): Promise<Account>;
  updateAccount(id: AccountId, patch: { passwordHash?: string; quotaBytes?: number | null; usedBytes?: number; settings?: AccountSettings }): Promise<void>;
  deleteAccount(id: AccountId): Promise<void>;
  /** Increments and returns the account's modseq. */
  nextModseq(accountId: AccountId): Promise<number>;
  /** Returns a UIDVALIDITY never handed out before in this account (RFC 9051 §2.3.1.1). */
  nextUidValidity(accountId: AccountId, nowSeconds: number): Promise<number>;

  insertMailbox(m: NewMailbox): Promise<Mailbox>;
  updateMailbox(id: MailboxId, patch: MailboxPatch): Promise<void>;
  deleteMailbox(id: MailboxId): Promise<void>;
  addLostSubscription(accountId: AccountId, name: string): Promise<void>;
  /** Removes a subscription to a name with no mailbox; true when there was one. */
  removeLostSubscription(accountId: AccountId, name: string): Promise<boolean>;

  /** Stores bytes under their hash (idempotent) and takes a reference; durable once the transaction commits. */
  putBlob(hash: string, data: Buffer): Promise<void>;
  insertMessage(m: NewMessage): Promise<MessageId>;
  insertEntries(entries: readonly Entry[]): Promise<void>;
  updateFlags(mailboxId: MailboxId, updates: readonly FlagUpdate[]): Promise<void>;
  /** Deletes the entries and returns what they were (for counters and references). */
  deleteEntries(mailboxId: MailboxId, uids: readonly number[]): Promise<Array<Entry & { size: number }>>;
  insertTombstones(mailboxId: MailboxId, uids: readonly number[], modseq: number): Promise<void>;
  /** Drops message rows no entry refers to any more, and their blob references. */
  releaseMessages(ids: readonly MessageId[]): Promise<void>;

  insertQueueRows(rows: readonly NewQueueRow[]): Promise<number[]>;
  /**
   * Leases up to `limit` rows due at `now` (next attempt reached, no lease or an expired one) to
   * `owner` until `leasedUntil`, oldest due first, and returns them.
   */
  claimQueueRows(now: number, owner: string, leasedUntil: number, limit: number): Promise<QueueRow[]>;
  /** Deletes a row `owner` holds the lease of, and its blob reference; null when it does not hold it. */
  deleteQueueRow(id: number, owner: string): Promise<QueueRow | null>;
  /** Records a failed attempt on a row `owner` holds and ends the lease; false when it does not hold it. */
  deferQueueRow(id: number, owner: string, d: QueueDeferral): Promise<boolean>;
  /** Ends every lease of `owner` (a node that restarts after a crash); the number released. */
  releaseQueueLeases(owner: string): Promise<number>;
  /** Stores the key unless the domain has one already. */
  insertDkimKey(key: DkimKey): Promise<void>;
}

export interface Engine extends ReadOps {
  readonly kind: 'sqlite' | 'postgres';
  /** Runs fn as one atomic, durable transaction; writers are serialised. */
  write<T>(fn: (tx: WriteTx) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
