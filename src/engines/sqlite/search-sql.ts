/**
 * Compiles a store search Criterion into an SQLite WHERE clause over
 * `entries e JOIN messages m ON m.id = e.message_id`. Substring matches use instr() on columns
 * that were search-folded at ingest (store/search.ts searchFold), so no per-row JS runs except for
 * body text and headers that are not indexed.
 */
import { FLAG_BITS } from '../../store/types.js';
import { searchFold, type Criterion } from '../../store/search.js';

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

export function compileCriterion(c: Criterion): CompiledSearch {
  const params: Array<string | number> = [];
  let joinsMessage = false;

  const walk = (c: Criterion): string => {
    switch (c.op) {
      case 'all':
        return '1';
      case 'none':
        return '0';
      case 'and':
        return c.of.length === 0 ? '1' : '(' + c.of.map(walk).join(' AND ') + ')';
      case 'or':
        return c.of.length === 0 ? '0' : '(' + c.of.map(walk).join(' OR ') + ')';
      case 'not':
        return '(NOT ' + walk(c.of) + ')';
      case 'uids': {
        if (c.ranges.length === 0) return '0';
        const parts = c.ranges.map(([a, b]) => {
          params.push(Math.min(a, b), Math.max(a, b));
          return '(e.uid BETWEEN ? AND ?)';
        });
        return '(' + parts.join(' OR ') + ')';
      }
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
        return `(coalesce(m.hdr_date, e.internal_date) ${op} ?)`;
      }
      case 'size':
        joinsMessage = true;
        params.push(c.bytes);
        return c.cmp === 'lt' ? '(m.size < ?)' : '(m.size > ?)';
      case 'header': {
        joinsMessage = true;
        const name = c.name.toLowerCase();
        const value = searchFold(c.value);
        const col = HEADER_COLUMNS[name];
        if (col !== undefined) {
          if (value === '') return `(roost_has_header(${BLOB}, m.header_size, '${name}'))`;
          params.push(value);
          return `(instr(${col}, ?) > 0)`;
        }
        if (name === 'message-id') {
          if (value === '') return '(m.message_id IS NOT NULL)';
          params.push(value);
          return "(instr(lower('<' || coalesce(m.message_id, '') || '>'), ?) > 0)";
        }
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
