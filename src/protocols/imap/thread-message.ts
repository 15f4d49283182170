/**
 * What THREAD (RFC 5256 §3) needs of each searched message, derived from the store's sort row:
 * normalised Message-IDs and references, the sent date, the base subject's collation key and whether
 * the subject marks a reply or forward. Pure.
 */
import { subjectInfo } from '../../mime/index.js';
import { LIMITS } from '../../shared/limits.js';
import type { SortField, SortRow } from '../../store/engine.js';
import { casemapKey, compareKeys, type SortKeyText } from './sort-collate.js';
import { sentDate } from './sort-order.js';

export interface ThreadMessage {
  /** The number the THREAD response carries: message number or UID. */
  readonly id: number;
  /** Position in sequence-number order: the tie-breaker after the sent date (RFC 5256 §2.2). */
  readonly seq: number;
  /** Normalised Message-ID, or null when it has none. */
  readonly messageId: string | null;
  /** Normalised references, oldest first (RFC 5256 §3 REFERENCES: References, else In-Reply-To). */
  readonly refs: readonly string[];
  /** RFC 5256 §2.2 sent date, ms. */
  readonly date: number;
  /** i;unicode-casemap key of the base subject: subject comparisons are case-insensitive. */
  readonly subject: SortKeyText;
  /** The subject carried a reply/forward marker. */
  readonly isReply: boolean;
}

/** The sort-row fields threading reads. */
export const THREAD_FIELDS: readonly SortField[] = ['date', 'internalDate', 'baseSubject', 'subject', 'messageIdHeader', 'inReplyTo', 'references'];

/**
 * RFC 5256 §3: msg-ids that differ only in quoting are the same Message ID: <"abc"@x> is <abc@x>.
 * Ids arrive without angle brackets; comparisons stay case-sensitive.
 */
export function normalizeMessageId(id: string): string {
  if (!id.startsWith('"')) return id;
  let local = '';
  for (let i = 1; i < id.length; i++) {
    const c = id[i]!;
    if (c === '\\' && i + 1 < id.length) local += id[++i];
    else if (c === '"') return local + id.slice(i + 1);
    else local += c;
  }
  return id;
}

/**
 * The first id and the last `max - 1` ids of a space-separated list, read from both ends so that a
 * hostile References header of thousands of ids costs no more than a short one.
 */
function idList(text: string | null, max: number): string[] {
  if (text === null) return [];
  const t = text.trim();
  if (t === '') return [];
  const tail: string[] = [];
  let end = t.length;
  while (end > 0 && tail.length < max) {
    const sp = t.lastIndexOf(' ', end - 1);
    const id = t.slice(sp + 1, end);
    if (id !== '') tail.push(id);
    end = sp < 0 ? 0 : sp;
  }
  tail.reverse();
  if (end <= 0) return tail;
  // More ids than `max`: keep the first (the thread's root) in place of the oldest of the tail.
  const sp = t.indexOf(' ');
  return [t.slice(0, sp), ...tail.slice(1)];
}

/** References, else the first In-Reply-To id; long lists keep the first and the latest ids. */
export function references(row: Pick<SortRow, 'references' | 'inReplyTo'>): string[] {
  const max = LIMITS.imap.threadReferences;
  let refs = idList(row.references, max);
  if (refs.length === 0) refs = idList(row.inReplyTo, 1);
  return refs.map(normalizeMessageId);
}

/** Rows in sequence-number order; `ids[i]` is the number to answer with for rows[i]. */
export function threadMessages(rows: readonly SortRow[], ids: readonly number[]): ThreadMessage[] {
  return rows.map((r, i) => ({
    id: ids[i]!,
    seq: i,
    messageId: r.messageIdHeader === null || r.messageIdHeader === '' ? null : normalizeMessageId(r.messageIdHeader),
    refs: references(r),
    date: sentDate(r),
    subject: casemapKey(r.baseSubject),
    isReply: subjectInfo(r.subject).isReply,
  }));
}

/** Sent date, then sequence number (RFC 5256 §2.2). */
export function byDate(a: ThreadMessage, b: ThreadMessage): number {
  return a.date - b.date || a.seq - b.seq;
}

/** Base subject (casemap), then sent date, then sequence number. */
export function bySubjectThenDate(a: ThreadMessage, b: ThreadMessage): number {
  return compareKeys(a.subject, b.subject) || byDate(a, b);
}
