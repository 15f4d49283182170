/** Row shapes of the SQLite schema and their mapping to store model types. */
import type { Account, Entry, EntryWithMessage, Mailbox, SpecialUse } from '../../store/types.js';

export interface AccountRow {
  id: number; address: string; password_hash: string; modseq: number; quota_bytes: number | null;
  used_bytes: number; settings: string; created_at: number;
}
export interface MailboxRow {
  id: number; account_id: number; name: string; special_use: string | null; uidvalidity: number; uidnext: number;
  highestmodseq: number; messages: number; unseen: number; size: number; subscribed: number; keywords: string;
}
export interface EntryRow {
  mailbox_id: number; uid: number; message_id: number; modseq: number; flags: number; keywords: string | null;
  internal_date: number; save_date: number;
}
export interface EntryMessageRow extends EntryRow {
  thread_id: number; blob: string; size: number; header_size: number;
  envelope?: string; bodystructure?: string; body?: string; mime?: string; preview?: string;
}

export function toAccount(r: AccountRow): Account {
  return {
    id: r.id, address: r.address, passwordHash: r.password_hash, modseq: r.modseq, quotaBytes: r.quota_bytes,
    usedBytes: r.used_bytes, createdAt: r.created_at, settings: JSON.parse(r.settings) as Account['settings'],
  };
}

export function toMailbox(r: MailboxRow): Mailbox {
  return {
    id: r.id, accountId: r.account_id, name: r.name, specialUse: r.special_use as SpecialUse | null,
    uidValidity: r.uidvalidity, uidNext: r.uidnext, highestModseq: r.highestmodseq, messages: r.messages,
    unseen: r.unseen, size: r.size, subscribed: r.subscribed === 1, keywords: JSON.parse(r.keywords) as string[],
  };
}

export function splitKeywords(s: string | null): string[] {
  return s === null || s === '' ? [] : s.split(' ');
}

export function joinKeywords(k: readonly string[]): string | null {
  return k.length === 0 ? null : k.join(' ');
}

export function toEntry(r: EntryRow): Entry {
  return {
    mailboxId: r.mailbox_id, uid: r.uid, messageId: r.message_id, modseq: r.modseq, flags: r.flags,
    keywords: splitKeywords(r.keywords), internalDate: r.internal_date, saveDate: r.save_date,
  };
}

export function toEntryWithMessage(r: EntryMessageRow): EntryWithMessage {
  const e: EntryWithMessage = {
    ...toEntry(r), id: r.message_id, threadId: r.thread_id, blob: r.blob, size: r.size, headerSize: r.header_size,
  };
  if (r.envelope !== undefined) e.envelope = r.envelope;
  if (r.bodystructure !== undefined) e.bodyStructure = r.bodystructure;
  if (r.body !== undefined) e.body = r.body;
  if (r.mime !== undefined) e.mime = JSON.parse(r.mime) as EntryWithMessage['mime'];
  if (r.preview !== undefined) e.preview = r.preview;
  return e;
}
