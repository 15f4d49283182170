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
