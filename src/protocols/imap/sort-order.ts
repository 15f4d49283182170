/**
 * RFC 5256 §3 SORT order and RFC 5957 DISPLAYFROM/DISPLAYTO, pure: rows in, positions out.
 * Strings compare by i;unicode-casemap (sort-collate.ts), the empty string first; DATE is the sent
 * date, or INTERNALDATE when the Date: header is missing or unusable (RFC 5256 §2.2); REVERSE turns one
 * criterion around; messages equal by every criterion stay in sequence-number order.
 */
import type { SortField, SortRow } from '../../store/engine.js';
import { casemapKey, compareKeys, type SortKeyText } from './sort-collate.js';
import type { SortCriterion, SortKey } from './wire/index.js';

/** The SortRow fields each sort key reads. */
const FIELDS: Record<SortKey, readonly SortField[]> = {
  ARRIVAL: ['internalDate'],
  DATE: ['date', 'internalDate'],
  SIZE: ['size'],
  SUBJECT: ['baseSubject'],
  FROM: ['sortFrom'],
  TO: ['sortTo'],
  CC: ['sortCc'],
  DISPLAYFROM: ['displayFrom'],
  DISPLAYTO: ['displayTo'],
};

/** What sortRows must read for these criteria. */
export function sortFields(criteria: readonly SortCriterion[]): SortField[] {
  return [...new Set(criteria.flatMap((c) => FIELDS[c.key]))];
}

/** RFC 5256 §2.2 sent date. */
export function sentDate(r: SortRow): number {
  return r.date ?? r.internalDate;
}

type Column = { kind: 'number'; values: Float64Array } | { kind: 'text'; values: SortKeyText[] };

function column(rows: readonly SortRow[], key: SortKey): Column {
  const numbers = (f: (r: SortRow) => number): Column => ({ kind: 'number', values: Float64Array.from(rows, f) });
  const texts = (f: (r: SortRow) => string): Column => ({ kind: 'text', values: rows.map((r) => casemapKey(f(r))) });
  switch (key) {
    case 'ARRIVAL':
      return numbers((r) => r.internalDate);
    case 'DATE':
      return numbers(sentDate);
    case 'SIZE':
      return numbers((r) => r.size);
    case 'SUBJECT':
      return texts((r) => r.baseSubject);
    case 'FROM':
      return texts((r) => r.sortFrom);
    case 'TO':
      return texts((r) => r.sortTo);
    case 'CC':
      return texts((r) => r.sortCc);
    case 'DISPLAYFROM':
      return texts((r) => r.displayFrom);
    case 'DISPLAYTO':
      return texts((r) => r.displayTo);
  }
}

/**
 * The order of `rows` (given in sequence-number order) under the criteria, as indexes into `rows`.
 */
export function sortOrder(rows: readonly SortRow[], criteria: readonly SortCriterion[]): number[] {
  const cols = criteria.map((c) => ({ col: column(rows, c.key), sign: c.reverse ? -1 : 1 }));
  const order = Array.from({ length: rows.length }, (_, i) => i);
  order.sort((a, b) => {
    for (const { col, sign } of cols) {
      let d: number;
      if (col.kind === 'number') d = col.values[a]! - col.values[b]!;
      else d = compareKeys(col.values[a]!, col.values[b]!);
      if (d !== 0) return d < 0 ? -sign : sign;
    }
    // The implicit last criterion: sequence number, never reversed (RFC 5256 §3 REVERSE note).
    return a - b;
  });
  return order;
}
