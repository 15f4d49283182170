import { describe, expect, it } from 'vitest';
import type { Criterion, UidRanges } from '../../store/search.js';
import { compileSearch, filterWithin, utcDayStart, type SearchScope } from './search-compile.js';
import { ImapParser, type SearchCommand, type SearchKey, type SequenceSet } from './wire/index.js';

/** The view of a session: message n has UID 10n; "$" holds UIDs 20 and 40. */
const scope: SearchScope = {
  now: Date.UTC(2024, 5, 15, 12, 0, 0, 500),
  ranges(set: SequenceSet, uid: boolean): UidRanges {
    if (set.kind === 'saved') return [[20, 20], [40, 40]];
    return set.ranges.map((r) => {
      const a = r.start === '*' ? (uid ? 50 : 5) : r.start;
      const b = r.end === '*' ? (uid ? 50 : 5) : r.end;
      return uid ? [a, b] : [a * 10, b * 10];
    });
  },
};

function keys(text: string): readonly SearchKey[] {
  const p = new ImapParser();
  p.setAuthenticated(true);
  p.feed(Buffer.from(`t SEARCH ${text}\r\n`));
  const ev = p.next();
  if (ev.type !== 'command') throw new Error(`parse failed: ${JSON.stringify(ev)}`);
  return (ev.command as SearchCommand).criteria;
}

const compile = (text: string) => compileSearch(keys(text), scope);
const day = (y: number, m: number, d: number) => Date.UTC(y, m - 1, d);
const DAY = 86_400_000;

describe('compileSearch: each key (RFC 9051 §6.4.4 and extensions)', () => {
  const cases: Array<[string, Criterion]> = [
    ['ALL', { op: 'all' }],
    ['ANSWERED', { op: 'flag', flag: '\\Answered', set: true }],
    ['UNANSWERED', { op: 'flag', flag: '\\Answered', set: false }],
    ['DELETED', { op: 'flag', flag: '\\Deleted', set: true }],
    ['UNDELETED', { op: 'flag', flag: '\\Deleted', set: false }],
    ['DRAFT', { op: 'flag', flag: '\\Draft', set: true }],
    ['UNDRAFT', { op: 'flag', flag: '\\Draft', set: false }],
    ['FLAGGED', { op: 'flag', flag: '\\Flagged', set: true }],
    ['UNFLAGGED', { op: 'flag', flag: '\\Flagged', set: false }],
    ['SEEN', { op: 'flag', flag: '\\Seen', set: true }],
    ['UNSEEN', { op: 'flag', flag: '\\Seen', set: false }],
    // No \Recent in Roost: RECENT and NEW match nothing, OLD everything.
    ['RECENT', { op: 'none' }],
    ['NEW', { op: 'none' }],
    ['OLD', { op: 'all' }],
    ['SAVEDATESUPPORTED', { op: 'all' }],
    ['KEYWORD $Label1', { op: 'keyword', keyword: '$Label1', set: true }],
    ['UNKEYWORD Work', { op: 'keyword', keyword: 'Work', set: false }],
    ['SUBJECT "hello world"', { op: 'header', name: 'subject', value: 'hello world' }],
    ['FROM alice', { op: 'header', name: 'from', value: 'alice' }],
    ['TO bob', { op: 'header', name: 'to', value: 'bob' }],
    ['CC carol', { op: 'header', name: 'cc', value: 'carol' }],
    ['BCC dave', { op: 'header', name: 'bcc', value: 'dave' }],
    ['SUBJECT ""', { op: 'all' }],
    ['BODY needle', { op: 'text', where: 'body', value: 'needle' }],
    ['TEXT needle', { op: 'text', where: 'text', value: 'needle' }],
    ['TEXT ""', { op: 'all' }],
    ['HEADER Message-ID "<a@b>"', { op: 'header', name: 'message-id', value: '<a@b>' }],
    ['HEADER X-Spam ""', { op: 'header', name: 'x-spam', value: '' }],
    ['BEFORE 7-Feb-1994', { op: 'date', field: 'internal', cmp: 'lt', ms: day(1994, 2, 7) }],
    ['SINCE 7-Feb-1994', { op: 'date', field: 'internal', cmp: 'ge', ms: day(1994, 2, 7) }],
    ['ON 7-Feb-1994', { op: 'and', of: [
      { op: 'date', field: 'internal', cmp: 'ge', ms: day(1994, 2, 7) },
      { op: 'date', field: 'internal', cmp: 'lt', ms: day(1994, 2, 7) + DAY },
    ] }],
    ['SENTBEFORE 1-Jan-2000', { op: 'date', field: 'header', cmp: 'lt', ms: day(2000, 1, 1) }],
    ['SENTSINCE 29-Feb-2000', { op: 'date', field: 'header', cmp: 'ge', ms: day(2000, 2, 29) }],
    ['SENTON 31-Dec-1999', { op: 'and', of: [
      { op: 'date', field: 'header', cmp: 'ge', ms: day(1999, 12, 31) },
      { op: 'date', field: 'header', cmp: 'lt', ms: day(2000, 1, 1) },
    ] }],
    ['SAVEDBEFORE 2-Mar-2020', { op: 'date', field: 'saved', cmp: 'lt', ms: day(2020, 3, 2) }],
    ['SAVEDSINCE 2-Mar-2020', { op: 'date', field: 'saved', cmp: 'ge', ms: day(2020, 3, 2) }],
    ['SAVEDON 2-Mar-2020', { op: 'and', of: [
      { op: 'date', field: 'saved', cmp: 'ge', ms: day(2020, 3, 2) },
      { op: 'date', field: 'saved', cmp: 'lt', ms: day(2020, 3, 3) },
    ] }],
    // RFC 5032: now is 12:00:00.500; the target second is 11:00:00 (OLDER includes it, YOUNGER too).
    ['OLDER 3600', { op: 'date', field: 'internal', cmp: 'lt', ms: Date.UTC(2024, 5, 15, 11, 0, 1) }],
    ['YOUNGER 3600', { op: 'date', field: 'internal', cmp: 'ge', ms: Date.UTC(2024, 5, 15, 11, 0, 0) }],
    ['LARGER 1000', { op: 'size', cmp: 'gt', bytes: 1000 }],
    ['SMALLER 1000', { op: 'size', cmp: 'lt', bytes: 1000 }],
    ['UID 5:7,100', { op: 'uids', ranges: [[5, 7], [100, 100]] }],
    ['2:3', { op: 'uids', ranges: [[20, 30]] }],
    ['$', { op: 'uids', ranges: [[20, 20], [40, 40]] }],
    ['UID $', { op: 'uids', ranges: [[20, 20], [40, 40]] }],
    ['MODSEQ 620162338', { op: 'modseq', ge: 620162338 }],
    ['MODSEQ "/flags/\\\\draft" all 620162338', { op: 'modseq', ge: 620162338 }],
    ['EMAILID E42', { op: 'emailId', id: 42 }],
    ['EMAILID T42', { op: 'none' }],
    ['THREADID T7', { op: 'threadId', id: 7 }],
    ['THREADID nonsense', { op: 'none' }],
    ['NOT SEEN', { op: 'not', of: { op: 'flag', flag: '\\Seen', set: true } }],
    ['NOT NOT SEEN', { op: 'flag', flag: '\\Seen', set: true }],
    ['NOT OLD', { op: 'none' }],
    ['OR SEEN FLAGGED', { op: 'or', of: [{ op: 'flag', flag: '\\Seen', set: true }, { op: 'flag', flag: '\\Flagged', set: true }] }],
    ['OR SEEN OR FLAGGED DRAFT', { op: 'or', of: [
      { op: 'flag', flag: '\\Seen', set: true }, { op: 'flag', flag: '\\Flagged', set: true }, { op: 'flag', flag: '\\Draft', set: true },
    ] }],
    ['OR NEW SEEN', { op: 'flag', flag: '\\Seen', set: true }],
    ['OR OLD SEEN', { op: 'all' }],
    ['SEEN NEW', { op: 'none' }],
    ['SEEN (FLAGGED (DRAFT)) OLD', { op: 'and', of: [
      { op: 'flag', flag: '\\Seen', set: true }, { op: 'flag', flag: '\\Flagged', set: true }, { op: 'flag', flag: '\\Draft', set: true },
    ] }],
    ['OR (SEEN FLAGGED) UID 1', { op: 'or', of: [
      { op: 'and', of: [{ op: 'flag', flag: '\\Seen', set: true }, { op: 'flag', flag: '\\Flagged', set: true }] },
      { op: 'uids', ranges: [[1, 1]] },
    ] }],
  ];
  it.each(cases)('%s', (text, expected) => {
    const c = compile(text);
    expect(c.criterion).toEqual(expected);
    expect(c.within).toEqual([]);
  });

  it('marks MODSEQ anywhere in the criteria (RFC 7162 §3.1.5)', () => {
    expect(compile('SEEN').modseq).toBe(false);
    expect(compile('OR SEEN NOT MODSEQ 5').modseq).toBe(true);
  });

  it('decodes strings in the CHARSET given (RFC 9051 §6.4.4)', () => {
    const p = new ImapParser();
    p.setAuthenticated(true);
    p.feed(Buffer.concat([Buffer.from('t SEARCH CHARSET ISO-8859-1 SUBJECT {4}\r\n'), Buffer.from([0x63, 0x61, 0x66, 0xe9]), Buffer.from('\r\n')]));
    let ev = p.next();
    if (ev.type === 'needLiteral') {
      p.acceptLiteral();
      ev = p.next();
    }
    if (ev.type !== 'command') throw new Error(JSON.stringify(ev));
    expect(compileSearch((ev.command as SearchCommand).criteria, scope).criterion).toEqual({ op: 'header', name: 'subject', value: 'café' });
  });

  it('keeps long top-level sets out of the SQL: bounds in the criterion, exact filter after', () => {
    const many = Array.from({ length: 20 }, (_, i) => `${i * 3 + 1}`).join(',');
    const c = compile(`UID ${many} SEEN`);
    expect(c.criterion).toEqual({ op: 'and', of: [{ op: 'uids', ranges: [[1, 58]] }, { op: 'flag', flag: '\\Seen', set: true }] });
    expect(c.within).toHaveLength(1);
    expect(filterWithin([1, 2, 3, 4, 7, 58, 59], c.within)).toEqual([1, 4, 7, 58]);
    // Under OR the set must stay in the criterion.
    const o = compile(`OR UID ${many} SEEN`);
    expect(o.within).toEqual([]);
    expect(o.criterion.op).toBe('or');
  });

  it('filters by several long sets with overlapping and reversed ranges', () => {
    expect(filterWithin([1, 2, 3, 5, 8, 9, 10], [[[3, 1], [2, 5], [9, 9]], [[10, 8], [1, 1], [5, 5]]])).toEqual([1, 5, 9]);
    expect(filterWithin([], [[[1, 2]]])).toEqual([]);
  });

  it('starts calendar days in UTC, also for years below 100', () => {
    expect(utcDayStart({ year: 1994, month: 2, day: 7 })).toBe(Date.UTC(1994, 1, 7));
    expect(new Date(utcDayStart({ year: 50, month: 1, day: 1 })).getUTCFullYear()).toBe(50);
  });
});
