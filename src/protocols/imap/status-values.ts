/**
 * STATUS data items of a mailbox (RFC 9051 §6.3.11, RFC 7162 HIGHESTMODSEQ, RFC 8438 SIZE,
 * RFC 9208 §4.1.4 DELETED / DELETED-STORAGE, RFC 7889 APPENDLIMIT, RFC 8474 MAILBOXID), shared by
 * STATUS and LIST RETURN (STATUS ...) (RFC 5819). Everything but the two \Deleted items comes from
 * the mailbox row, whose counters the store keeps exact: no per-message reads.
 */
import type { DeletedStats } from '../../store/engine.js';
import type { Mailbox } from '../../store/types.js';
import { mailboxObjectId } from './object-ids.js';
import type { StatusItem, StatusValues } from './wire/index.js';

/** The \Deleted items need a read of the entries (one for all mailboxes of a LIST-STATUS). */
export function needsDeletedStats(items: readonly StatusItem[]): boolean {
  return items.includes('DELETED') || items.includes('DELETED-STORAGE');
}

export interface StatusContext {
  /** \Deleted messages of this mailbox; undefined when there are none (or they were not read). */
  deleted: DeletedStats | undefined;
  /** RFC 7889: the largest APPEND accepted into this mailbox, null for no limit. */
  appendLimit: number | null;
}

export function statusValues(mb: Mailbox, items: readonly StatusItem[], c: StatusContext): StatusValues {
  const v: StatusValues = {};
  for (const item of items) {
    switch (item) {
      case 'MESSAGES':
        v.MESSAGES = mb.messages;
        break;
      case 'RECENT':
        // Roost keeps no \Recent flag (RFC 9051 removed it); RFC 3501 clients are told 0.
        v.RECENT = 0;
        break;
      case 'UIDNEXT':
        v.UIDNEXT = mb.uidNext;
        break;
      case 'UIDVALIDITY':
        v.UIDVALIDITY = mb.uidValidity;
        break;
      case 'UNSEEN':
        v.UNSEEN = mb.unseen;
        break;
      case 'DELETED':
        v.DELETED = c.deleted?.messages ?? 0;
        break;
      case 'SIZE':
        v.SIZE = mb.size;
        break;
      case 'DELETED-STORAGE':
        // RFC 9208 §4.1.4 allows the sum of RFC822.SIZE of the \Deleted messages, so octets (like
        // SIZE), not the 1024-octet units of the STORAGE quota resource.
        v['DELETED-STORAGE'] = c.deleted?.bytes ?? 0;
        break;
      case 'HIGHESTMODSEQ':
        v.HIGHESTMODSEQ = mb.highestModseq;
        break;
      case 'APPENDLIMIT':
        v.APPENDLIMIT = c.appendLimit;
        break;
      case 'MAILBOXID':
        v.MAILBOXID = mailboxObjectId(mb.id);
        break;
    }
  }
  return v;
}
