import { describe, expect, it } from 'vitest';
import type { SortRow } from '../../store/engine.js';
import { casemapKey, compareKeys } from './sort-collate.js';
import { sortFields, sortOrder } from './sort-order.js';
import type { SortCriterion, SortKey } from './wire/index.js';

function row(uid: number, over: Partial<SortRow> = {}): SortRow {
  return {
    uid, messageId: uid, threadId: uid, internalDate: 0, date: null, size: 0, baseSubject: '', subject: '',
    sortFrom: '', sortTo: '', sortCc: '', displayFrom: '', displayTo: '', messageIdHeader: null, inReplyTo: null,
    references: null, ...over,
  };
}

const by = (...keys: Array<SortKey | `-${SortKey}`>): SortCriterion[] =>
  keys.map((k) => (k.startsWith('-') ? { key: k.slice(1) as SortKey, reverse: true } : { key: k as SortKey, reverse: false }));
const uids = (rows: SortRow[], criteria: SortCriterion[]) => sortOrder(rows, criteria).map((i) => rows[i]!.uid);

describe('i;unicode-casemap keys (RFC 5051)', () => {
  const sorted = (xs: string[]) => [...xs].sort((a, b) => compareKeys(casemapKey(a), casemapKey(b)));
  it('ignores case, empty first, ASCII by code point', () => {
    // Titlecase (upper) keys: "_" (0x5F) sorts after "Z" (0x5A); equal keys keep their input order.
    expect(sorted(['b', 'A', '', 'a', 'B', '_x', 'Z'])).toEqual(['', 'A', 'a', 'b', 'B', 'Z', '_x']);
  });
  it('decomposes compatibly and folds case beyond ASCII', () => {
    expect(compareKeys(casemapKey('Émile'), casemapKey('émile'))).toBe(0);
    expect(compareKeys(casemapKey('\uFF21bc'), casemapKey('ABC'))).toBe(0); // NFKD of fullwidth A
    expect(compareKeys(casemapKey('straße'), casemapKey('STRASSE'))).not.toBe(0); // simple mapping: ß stays
  });
  it('orders by code point, not UTF-16 unit, above U+FFFF', () => {
    // U+1F600 (a surrogate pair) comes after U+FFFD in code-point (UTF-8) order, not in UTF-16 order.
    expect(compareKeys(casemapKey('\u{1F600}'), casemapKey('\uFFFD'))).toBeGreaterThan(0);
    expect(compareKeys(casemapKey('ä\u{1F600}'), casemapKey('ä\uFFFD'))).toBeGreaterThan(0);
  });
});

describe('sortOrder (RFC 5256 §3, RFC 5957)', () => {
  const rows = [
    row(1, { internalDate: 300, date: 50, size: 900, baseSubject: 'beta', sortFrom: 'zed', sortTo: 'b', sortCc: '', displayFrom: 'Anna', displayTo: 'z' }),
    row(2, { internalDate: 100, date: null, size: 100, baseSubject: 'Alpha', sortFrom: 'amy', sortTo: 'a', sortCc: 'x', displayFrom: 'zed', displayTo: 'b' }),
    row(3, { internalDate: 200, date: 50, size: 500, baseSubject: 'alpha', sortFrom: 'Bob', sortTo: '', sortCc: 'a', displayFrom: '', displayTo: 'a' }),
    row(4, { internalDate: 100, date: 400, size: 100, baseSubject: '', sortFrom: 'amy', sortTo: 'c', sortCc: '', displayFrom: 'bea', displayTo: '' }),
  ];
  const cases: Array<[SortCriterion[], number[]]> = [
    [by('ARRIVAL'), [2, 4, 3, 1]],
    [by('-ARRIVAL'), [1, 3, 2, 4]], // ties stay in sequence order even reversed
    // DATE: a missing Date: is the INTERNALDATE (row 2: 100); 1 and 3 tie at 50.
    [by('DATE'), [1, 3, 2, 4]],
    [by('-DATE'), [4, 2, 1, 3]],
    [by('SIZE'), [2, 4, 3, 1]],
    [by('-SIZE'), [1, 3, 2, 4]],
    [by('SUBJECT'), [4, 2, 3, 1]], // empty first; Alpha = alpha keep sequence order
    [by('SUBJECT', '-DATE'), [4, 2, 3, 1]],
    [by('SUBJECT', '-ARRIVAL'), [4, 3, 2, 1]],
    [by('FROM'), [2, 4, 3, 1]],
    [by('FROM', '-SIZE'), [2, 4, 3, 1]],
    [by('FROM', '-ARRIVAL'), [2, 4, 3, 1]],
    [by('-FROM', 'SIZE'), [1, 3, 2, 4]],
    [by('TO'), [3, 2, 1, 4]],
    [by('CC'), [1, 4, 3, 2]],
    [by('-CC'), [2, 3, 1, 4]],
    [by('DISPLAYFROM'), [3, 1, 4, 2]],
    [by('DISPLAYTO'), [4, 3, 2, 1]],
    [by('-DISPLAYTO'), [1, 2, 3, 4]],
  ];
  it.each(cases)('%j', (criteria, expected) => {
    expect(uids(rows, criteria)).toEqual(expected);
  });

  it('reads only the fields its keys need', () => {
    expect(sortFields(by('SUBJECT', '-DATE'))).toEqual(['baseSubject', 'date', 'internalDate']);
    expect(sortFields(by('DISPLAYFROM', 'SIZE'))).toEqual(['displayFrom', 'size']);
  });

  it('orders 100,000 rows consistently (every neighbour pair in order)', () => {
    const many = Array.from({ length: 100_000 }, (_, i) => row(i + 1, { baseSubject: `Subject ${(i * 7919) % 1000}`, date: i % 977 }));
    const order = sortOrder(many, by('SUBJECT', '-DATE'));
    expect(new Set(order).size).toBe(100_000);
    let bad = 0;
    for (let k = 1; k < order.length; k++) {
      const a = many[order[k - 1]!]!;
      const b = many[order[k]!]!;
      const s = compareKeys(casemapKey(a.baseSubject), casemapKey(b.baseSubject));
      if (!(s < 0 || (s === 0 && (a.date! > b.date! || (a.date === b.date && a.uid < b.uid))))) bad++;
    }
    expect(bad).toBe(0);
  });
});
