/**
 * Protocol-neutral search criteria over the entries of one mailbox. IMAP SEARCH and JMAP
 * Email/query compile to this; each engine compiles it to its own query language.
 * Dates are absolute instants in ms: protocols resolve their own day/time-zone rules first.
 */
import type { SystemFlag } from './types.js';

/** Inclusive UID ranges, sorted or not. */
export type UidRanges = ReadonlyArray<readonly [number, number]>;

export type Cmp = 'lt' | 'ge';

/** Header fields kept decoded in the store and searchable fast; any other name is searched in the raw header. */
export type IndexedHeader = 'subject' | 'from' | 'to' | 'cc' | 'bcc' | 'message-id';

export type Criterion =
  | { op: 'all' }
  | { op: 'none' }
  | { op: 'and'; of: Criterion[] }
  | { op: 'or'; of: Criterion[] }
  | { op: 'not'; of: Criterion }
  | { op: 'uids'; ranges: UidRanges }
  | { op: 'flag'; flag: SystemFlag; set: boolean }
  | { op: 'keyword'; keyword: string; set: boolean }
  /**
   * INTERNALDATE / SAVEDATE compared with an instant. 'header' compares the Date: header's wall-clock
   * time as written, in its own zone, read as if it were UTC (so a UTC day start selects the days the
   * header names); messages without a usable Date: header use INTERNALDATE.
   */
  | { op: 'date'; field: 'internal' | 'saved' | 'header'; cmp: Cmp; ms: number }
  | { op: 'size'; cmp: 'lt' | 'gt'; bytes: number }
  /** Case-insensitive substring match on a header field's decoded value (empty value: header present). */
  | { op: 'header'; name: string; value: string }
  /** Case-insensitive substring in the decoded body text ('body') or header + body ('text'). */
  | { op: 'text'; where: 'body' | 'text'; value: string }
  | { op: 'modseq'; ge: number }
  | { op: 'emailId'; id: number }
  | { op: 'threadId'; id: number };

/** The ranges sorted, merged where they touch or overlap, and each written low to high. */
export function mergeUidRanges(ranges: UidRanges): Array<[number, number]> {
  const sorted = ranges.map(([a, b]) => [Math.min(a, b), Math.max(a, b)] as [number, number]).sort((x, y) => x[0] - y[0]);
  const out: Array<[number, number]> = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last !== undefined && r[0] <= last[1] + 1) last[1] = Math.max(last[1], r[1]);
    else out.push(r);
  }
  return out;
}

/** Case folding used for every substring match, the same at ingest and at query time. */
export function searchFold(s: string): string {
  return s.normalize('NFKC').toLowerCase();
}
