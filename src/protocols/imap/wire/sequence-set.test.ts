import { describe, expect, it } from 'vitest';
import {
  compressUids,
  formatSequenceSet,
  iterateSequenceSet,
  maxExplicitNumber,
  parseSequenceSet,
  seqSetContains,
  seqSetIntervals,
  seqSetMatcher,
  sequenceSetFromNumbers,
  usesStar,
  type SequenceSet,
} from './sequence-set.js';

function set(text: string): SequenceSet {
  const s = parseSequenceSet(text);
  if (s === null) throw new Error(`invalid ${text}`);
  return s;
}

describe('parseSequenceSet', () => {
  it.each([
    ['1', [{ start: 1, end: 1 }]],
    ['*', [{ start: '*', end: '*' }]],
    ['2,4:7,9,12:*', [{ start: 2, end: 2 }, { start: 4, end: 7 }, { start: 9, end: 9 }, { start: 12, end: '*' }]],
    ['*:4,5:7', [{ start: '*', end: 4 }, { start: 5, end: 7 }]],
    ['4294967295', [{ start: 4294967295, end: 4294967295 }]],
  ])('%s', (text, ranges) => {
    expect(parseSequenceSet(text)).toEqual({ kind: 'set', ranges });
  });

  it('keeps $ as the saved result (RFC 5182)', () => {
    expect(parseSequenceSet('$')).toEqual({ kind: 'saved' });
  });

  it.each(['', '0', '01', '1:0', '4294967296', '1,', ',1', '1::2', '1:2:3', '$,1', '1,$', 'a', '1 2', '**', '1:*:2'])(
    'rejects %j',
    (text) => {
      expect(parseSequenceSet(text)).toBeNull();
    },
  );

  it('formats exactly as parsed', () => {
    for (const t of ['1', '2,4:7,9,12:*', '*:4,5:7', '$', '7:3']) expect(formatSequenceSet(set(t))).toBe(t);
  });
});

describe('resolving against the largest number', () => {
  it('expands the RFC 9051 example for 15 messages', () => {
    expect([...iterateSequenceSet(set('2,4:7,9,12:*'), 15)]).toEqual([2, 4, 5, 6, 7, 9, 12, 13, 14, 15]);
  });

  it('treats reversed ranges and * like the RFC (*:4,5:7 of 10 messages)', () => {
    expect(seqSetIntervals(set('*:4,5:7'), 10)).toEqual([[4, 10]]);
  });

  it('includes the last UID in 3291:* even when it is lower', () => {
    expect(seqSetIntervals(set('3291:*'), 100)).toEqual([[100, 100]]);
  });

  it('merges overlapping and adjacent ranges and clips to the maximum', () => {
    expect(seqSetIntervals(set('10:12,1:3,4,20:30,2'), 25)).toEqual([
      [1, 4],
      [10, 12],
      [20, 25],
    ]);
    expect(seqSetIntervals(set('1:*'), 0)).toEqual([]);
  });

  it('answers membership', () => {
    const s = set('2,4:7,12:*');
    const m = seqSetMatcher(s, 15);
    for (let n = 0; n <= 16; n++) {
      const want = n === 2 || (n >= 4 && n <= 7) || (n >= 12 && n <= 15);
      expect(seqSetContains(s, n, 15)).toBe(want);
      expect(m(n)).toBe(want);
    }
  });

  it('refuses to resolve $ (the session must substitute it)', () => {
    expect(() => seqSetIntervals({ kind: 'saved' }, 5)).toThrow();
  });

  it('reports * use and the largest explicit number', () => {
    expect(usesStar(set('1:*'))).toBe(true);
    expect(usesStar(set('1:4'))).toBe(false);
    expect(maxExplicitNumber(set('5,9:2,*'))).toBe(9);
  });
});

describe('compressUids', () => {
  it.each([
    [[], ''],
    [[5], '5'],
    [[1, 2, 3, 5, 7, 8, 9], '1:3,5,7:9'],
    [[3, 2, 1], '3,2,1'],
    [[1, 1, 2], '1,1:2'],
  ])('%j -> %s', (nums, text) => {
    expect(compressUids(nums)).toBe(text);
  });

  it('round-trips through the structured form', () => {
    const nums = [1, 2, 3, 10, 11, 40];
    const s = sequenceSetFromNumbers(nums);
    expect(formatSequenceSet(s)).toBe(compressUids(nums));
    expect([...iterateSequenceSet(s, 100)]).toEqual(nums);
  });
});
