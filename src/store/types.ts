/**
 * The mail-store model shared by every protocol (IMAP, POP3, JMAP, delivery).
 * Protocol-neutral: no IMAP sequence numbers here, only UIDs, modseqs and ids.
 */
import type { ParsedMessage } from '../mime/types.js';

export type AccountId = number;
export type MailboxId = number;
/** Id of the message content row (shared by copies of a message in several mailboxes: EMAILID). */
export type MessageId = number;

export interface Account {
  id: AccountId;
  address: string;
  passwordHash: string;
  /** Highest modseq assigned in this account (every change in any mailbox takes the next one). */
  modseq: number;
  quotaBytes: number | null;
  usedBytes: number;
  createdAt: number;
  settings: AccountSettings;
}

/** Per-account preferences; POP and others extend this (JSON in the store). */
export interface AccountSettings {
  [key: string]: unknown;
}

export interface Domain {
  id: number;
  name: string;
  createdAt: number;
}

export interface Alias {
  address: string;
  target: string;
}

/** RFC 6154 special-use attributes we assign (and accept in CREATE ... USE). */
export const SPECIAL_USES = ['\\All', '\\Archive', '\\Drafts', '\\Flagged', '\\Junk', '\\Sent', '\\Trash'] as const;
export type SpecialUse = (typeof SPECIAL_USES)[number];

export interface Mailbox {
  id: MailboxId;
  accountId: AccountId;
  /** Full hierarchical name with '/' as the separator, UTF-8 (wire encodings belong to protocols). */
  name: string;
  specialUse: SpecialUse | null;
  uidValidity: number;
  uidNext: number;
  highestModseq: number;
  /** Counters kept exact by every store operation. */
  messages: number;
  unseen: number;
  size: number;
  subscribed: boolean;
  /** Keywords ever used in this mailbox, for the IMAP FLAGS response. */
  keywords: string[];
}

/** System flags as bits; keywords are kept separately. */
export const FLAG_BITS = {
  '\\Seen': 1,
  '\\Answered': 2,
  '\\Flagged': 4,
  '\\Deleted': 8,
  '\\Draft': 16,
} as const;
export type SystemFlag = keyof typeof FLAG_BITS;

/** The state of one message in one mailbox. */
export interface Entry {
  mailboxId: MailboxId;
  uid: number;
  messageId: MessageId;
  modseq: number;
  /** Bitmask of FLAG_BITS. */
  flags: number;
  keywords: string[];
  internalDate: number;
  saveDate: number;
}

/** Content facts about a message, loaded on demand for FETCH. */
export interface MessageInfo {
  id: MessageId;
  threadId: MessageId;
  blob: string;
  size: number;
  headerSize: number;
}

/** Heavy per-message columns, loaded only when asked for. */
export interface MessageExtras {
  envelope?: string;
  bodyStructure?: string;
  body?: string;
  mime?: ParsedMessage['root'];
  preview?: string;
}

export interface EntryWithMessage extends Entry, MessageInfo, MessageExtras {}

export type ExtraField = 'envelope' | 'bodyStructure' | 'body' | 'mime' | 'preview';

/** A change published on the change bus after it is committed. */
export type Change =
  | { kind: 'added'; accountId: AccountId; mailboxId: MailboxId; modseq: number; entries: Entry[] }
  | { kind: 'expunged'; accountId: AccountId; mailboxId: MailboxId; modseq: number; uids: number[] }
  | { kind: 'flags'; accountId: AccountId; mailboxId: MailboxId; modseq: number; entries: Entry[] }
  | { kind: 'mailbox'; accountId: AccountId; mailboxId: MailboxId; modseq: number; what: 'created' | 'deleted' | 'renamed' | 'subscribed' | 'counters' };

export type FlagOp = 'set' | 'add' | 'remove';

/** One row of the outbound queue: one recipient of one message (the bytes are a blob, shared by its rows). */
export interface QueueRow {
  id: number;
  /** SHA-256 of the message bytes (the blob store, one reference per row). */
  blob: string;
  size: number;
  /** The envelope sender; "" is the null sender of a bounce (RFC 5321 §4.5.5). */
  sender: string;
  recipient: string;
  /** The recipient's domain, lower-cased (rows are grouped by it for delivery). */
  domain: string;
  /** Delivery attempts so far. */
  attempts: number;
  /** ms since epoch: not tried again before. */
  nextAttemptAt: number;
  lastError: string | null;
  createdAt: number;
  /** ms since epoch: the node named by leaseOwner works on the row until then. 0: not leased. */
  leasedUntil: number;
  leaseOwner: string | null;
  /** A delay notice was sent to the sender already (RFC 3464 Action: delayed). */
  delayNotified: boolean;
}

/** A domain's DKIM signing key (RFC 6376). */
export interface DkimKey {
  domain: string;
  selector: string;
  /** "rsa-sha256" or "ed25519-sha256". */
  algorithm: string;
  /** PKCS#8 PEM. */
  privateKey: string;
  /** The public key as the p= tag wants it: base64 of the DER SubjectPublicKeyInfo (RSA) or the raw key (ed25519). */
  publicKey: string;
  createdAt: number;
}
