/**
 * Compiles a store search Criterion into an SQLite WHERE clause over
 * `entries e JOIN messages m ON m.id = e.message_id`. Substring matches use instr() on columns
 * that were search-folded at ingest (store/search.ts searchFold), so no per-row JS runs except for
 * body text and headers that are not indexed.
 */
import { FLAG_BITS } from '../../store/types.js';
import { mergeUidRanges, searchFold, type Criterion, type UidRanges } from '../../store/search.js';
import { TEXT_COLUMNS, type CandidateLookup } from './text-index.js';

export interface CompiledSearch {
  sql: string;
  params: Array<string | number>;
  /** True when the clause needs the messages table joined. */
  joinsMessage: boolean;
}

/** The message bytes as a function argument: inline data comes from the VM, file blobs are read in JS. */
const BLOB = '(SELECT data FROM blobs WHERE hash = m.blob), m.blob';

const HEADER_COLUMNS: Record<string, string> = {
  subject: 'm.subject',
  from: 'm.from_text',
  to: 'm.to_text',
  cc: 'm.cc_text',
  bcc: 'm.bcc_text',
};

/** Candidate rows from an index lookup: the entry's message must be one of them (one JSON parameter). */
function idList(ids: readonly number[], params: Array<string | number>): string {
  if (ids.length === 0) return '0';
  params.push(JSON.stringify(ids));
  return '(e.message_id IN (SELECT value FROM json_each(?)))';
}

export function compileCriterion(c: Criterion, lookup?: CandidateLookup): CompiledSearch {
  const params: Array<string | number> = [];
  let joinsMessage = false;

  const walk = (c: Criterion): string => {
    switch (c.op) {
      case 'all':
        return '1';
      case 'none':
        return '0';
      case 'and':
        return c.of.length === 0 ? '1' : balanced(c.of.map(walk), 'AND');
      case 'or':
        return c.of.length === 0 ? '0' : balanced(c.of.map(walk), 'OR');
      case 'not':
        return '(NOT ' + walk(c.of) + ')';
      case 'uids':
        return uidClause(c.ranges, params);
      case 'flag': {
        const bit = FLAG_BITS[c.flag];
        return c.set ? `((e.flags & ${bit}) = ${bit})` : `((e.flags & ${bit}) = 0)`;
      }
      case 'keyword': {
        params.push(' ' + c.keyword.toLowerCase() + ' ');
        const has = "instr(' ' || lower(coalesce(e.keywords, '')) || ' ', ?) > 0";
        return c.set ? `(${has})` : `(NOT ${has})`;
      }
      case 'date': {
        params.push(c.ms);
        const op = c.cmp === 'lt' ? '<' : '>=';
        if (c.field === 'internal') return `(e.internal_date ${op} ?)`;
        if (c.field === 'saved') return `(e.save_date ${op} ?)`;
        joinsMessage = true;
        return `(coalesce(m.hdr_date + coalesce(m.hdr_zone, 0) * 60000, e.internal_date) ${op} ?)`;
      }
      case 'size':
        joinsMessage = true;
        params.push(c.bytes);
        return c.cmp === 'lt' ? '(m.size < ?)' : '(m.size > ?)';
      case 'header': {
        const name = c.name.toLowerCase();
        const value = searchFold(c.value);
        const col = HEADER_COLUMNS[name];
        if (col !== undefined) {
          const hit = value === '' ? null : (lookup?.text(TEXT_COLUMNS[name]!, value) ?? null);
          if (hit !== null) {
            // Indexed rows from the index, the few not indexed yet (past the watermark) by a scan of
            // just those rows; one IN-list of both, so the lookup still drives the query.
            params.push(JSON.stringify(hit.ids), hit.upto, value);
            return `(e.message_id IN (SELECT value FROM json_each(?) UNION ALL SELECT id FROM messages WHERE id > ? AND instr(${col.replace('m.', '')}, ?) > 0))`;
          }
          joinsMessage = true;
          if (value === '') return `(roost_has_header(${BLOB}, m.header_size, '${name}'))`;
          params.push(value);
          return `(instr(${col}, ?) > 0)`;
        }
        if (name === 'message-id') {
          // A whole "<id>" (the usual lookup) is an exact match: ids are stored without brackets.
          const whole = /^<([^<>]+)>$/.exec(value);
          const ids = whole !== null ? (lookup?.messageId(whole[1]!) ?? null) : null;
          if (ids !== null) return idList(ids, params);
          joinsMessage = true;
          if (value === '') return '(m.message_id IS NOT NULL)';
          params.push(value);
          return "(instr(lower('<' || coalesce(m.message_id, '') || '>'), ?) > 0)";
        }
        joinsMessage = true;
        params.push(name, value);
        return `(roost_header_contains(${BLOB}, m.header_size, ?, ?))`;
      }
      case 'text':
        joinsMessage = true;
        params.push(c.where, searchFold(c.value));
        return `(roost_text_contains(${BLOB}, m.header_size, m.mime, ?, ?))`;
      case 'modseq':
        params.push(c.ge);
        return '(e.modseq >= ?)';
      case 'emailId':
        params.push(c.id);
        return '(e.message_id = ?)';
      case 'threadId':
        joinsMessage = true;
        params.push(c.id);
        return '(m.thread_id = ?)';
    }
  };

  const sql = walk(c);
  return { sql, params, joinsMessage };
}

/**
 * Terms joined by AND/OR, nested as a balanced tree once there are many: SQLite parses a flat chain
 * as a left-deep tree and refuses expressions deeper than 1000 (a client may send thousands of keys).
 */
function balanced(terms: readonly string[], op: 'AND' | 'OR'): string {
  const CHAIN = 64;
  if (terms.length <= CHAIN) return '(' + terms.join(` ${op} `) + ')';
  const groups: string[] = [];
  for (let i = 0; i < terms.length; i += CHAIN) groups.push(balanced(terms.slice(i, i + CHAIN), op));
  return balanced(groups, op);
}

/** Ranges up to this many are compiled as BETWEEN tests; more become one IN-list or a search tree. */
const BETWEEN_RANGES = 16;
/** Most UIDs an IN-list is expanded to (one JSON parameter, one ephemeral index). */
const IN_LIST_UIDS = 1_000_000;

/**
 * UID ranges as SQL. Few ranges: BETWEEN tests with parameters. Many (a SEARCHRES result, a long UID
 * set): one IN-list parameter, so neither SQLite's parameter limit nor its expression depth limit
 * (1000) is reached. Absurdly wide ranges: a binary search tree of CASE tests over the merged ranges,
 * O(log n) per row and O(log n) deep.
 */
function uidClause(ranges: UidRanges, params: Array<string | number>): string {
  if (ranges.length === 0) return '0';
  const norm = ranges.map(([a, b]) => [Math.min(a, b), Math.max(a, b)] as const);
  if (norm.length <= BETWEEN_RANGES) {
    const parts = norm.map(([a, b]) => {
      params.push(a, b);
      return '(e.uid BETWEEN ? AND ?)';
    });
    return '(' + parts.join(' OR ') + ')';
  }
  let width = 0;
  for (const [a, b] of norm) width += b - a + 1;
  if (width <= IN_LIST_UIDS) {
    const uids: number[] = [];
    for (const [a, b] of norm) for (let u = a; u <= b; u++) uids.push(u);
    params.push(JSON.stringify(uids));
    return '(e.uid IN (SELECT value FROM json_each(?)))';
  }
  const merged = mergeUidRanges(norm);
  const tree = (lo: number, hi: number): string => {
    if (hi - lo === 1) {
      const [a, b] = merged[lo]!;
      return `(e.uid BETWEEN ${a} AND ${b})`;
    }
    const mid = (lo + hi) >>> 1;
    return `(CASE WHEN e.uid < ${merged[mid]![0]} THEN ${tree(lo, mid)} ELSE ${tree(mid, hi)} END)`;
  };
  return tree(0, merged.length);
}

