/**
 * Index lookups that narrow a substring search to a few candidate message rows before the scan
 * (schema migration 2): the FTS5 trigram table over the search-folded header columns, and the
 * lower(message_id) index. A lookup answers only when it is selective; otherwise the caller scans,
 * so a needle that is everywhere ("re") never costs more than the plain scan.
 */
import type { StatementCache } from './connection.js';

/** Header names with a folded column in the trigram index, and that column. */
export const TEXT_COLUMNS: Readonly<Record<string, string>> = {
  subject: 'subject',
  from: 'from_text',
  to: 'to_text',
  cc: 'cc_text',
  bcc: 'bcc_text',
};

/**
 * More candidates than this and the index is not worth it: the IN-list would cost as much as the
 * scan it replaces (measured on 100,000 messages: the scan ~40 ms; 29,000 candidates ~8 ms of index
 * and ~20 ms of IN-list; 55,000 candidates ~50 ms in all).
 */
const MAX_CANDIDATES = 20_000;

/** The trigram tokenizer needs three characters to form a token; shorter needles must scan. */
const MIN_NEEDLE_CHARS = 3;

export interface CandidateLookup {
  /**
   * Ids of indexed message rows whose folded `column` contains `needle` (already folded), and the
   * watermark: rows with a larger id are not indexed yet and must be scanned. Null: scan everything.
   */
  text(column: string, needle: string): { ids: number[]; upto: number } | null;
  /** Ids of message rows whose Message-ID is `id` (case-insensitive, no brackets), or null: scan instead. */
  messageId(id: string): number[] | null;
}

export function candidateLookup(s: StatementCache): CandidateLookup {
  return {
    text(column, needle) {
      let chars = 0;
      for (const _ of needle) if (++chars >= MIN_NEEDLE_CHARS) break;
      if (chars < MIN_NEEDLE_CHARS) return null;
      // An FTS5 phrase in a column filter; the only special character inside "..." is '"' itself.
      const query = `${column} : "${needle.replaceAll('"', '""')}"`;
      // The watermark first: the writer may index more meanwhile, and then the two only overlap.
      const upto = s.get('SELECT upto FROM text_index_state WHERE id = 1').pluck().get() as number;
      const ids = s.get('SELECT rowid FROM message_text WHERE message_text MATCH ? LIMIT ?').pluck().all(query, MAX_CANDIDATES + 1) as number[];
      return ids.length > MAX_CANDIDATES ? null : { ids, upto };
    },
    messageId(id) {
      const ids = s.get('SELECT id FROM messages WHERE lower(message_id) = ? LIMIT ?').pluck().all(id, MAX_CANDIDATES + 1) as number[];
      return ids.length > MAX_CANDIDATES ? null : ids;
    },
  };
}
