/**
 * Sort keys for SORT, THREAD and JMAP ordering. Reads only the columns asked for (as raw rows: the
 * driver's named-column objects cost more than the query), and only the entries asked for: a SORT of
 * a few search results does not read the whole mailbox.
 */
import type { SortField, SortRow } from '../../store/engine.js';
import type { StatementCache } from './connection.js';

const COLUMNS: Record<SortField, string> = {
  internalDate: 'e.internal_date',
  date: 'm.hdr_date',
  size: 'm.size',
  baseSubject: 'm.base_subject',
  subject: 'm.subject',
  sortFrom: 'm.sort_from',
  sortTo: 'm.sort_to',
  sortCc: 'm.sort_cc',
  displayFrom: 'm.display_from',
  displayTo: 'm.display_to',
  messageIdHeader: 'm.message_id',
  inReplyTo: 'm.in_reply_to',
  references: 'm.refs',
};

const ALL_FIELDS = Object.keys(COLUMNS) as SortField[];

/** Up to this many UIDs are selected in SQL (one JSON parameter); more are filtered after a full read. */
const IN_LIST_UIDS = 20_000;

type Raw = unknown[];

/** A SortRow from a raw row; `at[f]` is the column of field f, or -1 when it was not read. */
function toRow(r: Raw, at: Readonly<Record<SortField, number>>): SortRow {
  const v = (f: SortField): unknown => (at[f] < 0 ? undefined : r[at[f]]);
  // One object literal, one shape: far cheaper than named-column rows built by the driver.
  return {
    uid: r[0] as number,
    messageId: r[1] as number,
    threadId: r[2] as number,
    internalDate: (v('internalDate') as number | undefined) ?? 0,
    date: (v('date') as number | null | undefined) ?? null,
    size: (v('size') as number | undefined) ?? 0,
    baseSubject: (v('baseSubject') as string | undefined) ?? '',
    subject: (v('subject') as string | undefined) ?? '',
    sortFrom: (v('sortFrom') as string | undefined) ?? '',
    sortTo: (v('sortTo') as string | undefined) ?? '',
    sortCc: (v('sortCc') as string | undefined) ?? '',
    displayFrom: (v('displayFrom') as string | undefined) ?? '',
    displayTo: (v('displayTo') as string | undefined) ?? '',
    messageIdHeader: (v('messageIdHeader') as string | null | undefined) ?? null,
    inReplyTo: (v('inReplyTo') as string | null | undefined) ?? null,
    references: (v('references') as string | null | undefined) ?? null,
  };
}

export function readSortRows(s: StatementCache, mailboxId: number, uids: readonly number[] | null, fields: readonly SortField[] = ALL_FIELDS): SortRow[] {
  const wanted = ALL_FIELDS.filter((f) => fields.includes(f));
  const at = Object.fromEntries(ALL_FIELDS.map((f) => [f, -1])) as Record<SortField, number>;
  wanted.forEach((f, i) => (at[f] = 3 + i));
  const cols = ['e.uid', 'e.message_id', 'm.thread_id', ...wanted.map((f) => COLUMNS[f])];
  const params: Array<number | string> = [mailboxId];
  let where = 'e.mailbox_id = ?';
  const inSql = uids !== null && uids.length <= IN_LIST_UIDS;
  if (uids !== null && inSql) {
    if (uids.length === 0) return [];
    where += ' AND e.uid IN (SELECT value FROM json_each(?))';
    params.push(JSON.stringify(uids));
  }
  const sql = `SELECT ${cols.join(', ')} FROM entries e JOIN messages m ON m.id = e.message_id WHERE ${where} ORDER BY e.uid`;
  let rows = s.get(sql).raw().all(...params) as Raw[];
  if (uids !== null && !inSql) {
    const want = new Set(uids);
    rows = rows.filter((r) => want.has(r[0] as number));
  }
  return rows.map((r) => toRow(r, at));
}
