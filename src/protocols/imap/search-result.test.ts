import { describe, expect, it } from 'vitest';
import { searchAnswer, type SearchAnswerInput } from './search-result.js';
import { responseToBuffer, type SearchReturnOption } from './wire/index.js';

const base: SearchAnswerInput = {
  tag: 'A1', uid: false, returnOptions: null, rev2: false,
  uids: [14, 100, 101, 102, 1115], seqs: [2, 10, 11, 12, 882], modseqs: null,
};
const wire = (input: Partial<SearchAnswerInput>): string => {
  const a = searchAnswer({ ...base, ...input });
  return a.response === null ? '' : responseToBuffer(a.response).toString();
};
const saved = (input: Partial<SearchAnswerInput>) => searchAnswer({ ...base, ...input }).saved;

describe('searchAnswer: SEARCH and ESEARCH responses', () => {
  it('answers a plain SEARCH with message numbers, UID SEARCH with UIDs (RFC 3501)', () => {
    expect(wire({})).toBe('* SEARCH 2 10 11 12 882\r\n');
    expect(wire({ uid: true })).toBe('* SEARCH 14 100 101 102 1115\r\n');
    expect(wire({ uids: [], seqs: [] })).toBe('* SEARCH\r\n');
  });

  it('adds (MODSEQ n) with the highest modseq of the matches when MODSEQ was searched (RFC 7162 §3.1.6)', () => {
    expect(wire({ modseqs: [5, 9, 7, 1, 2] })).toBe('* SEARCH 2 10 11 12 882 (MODSEQ 9)\r\n');
    expect(wire({ uids: [], seqs: [], modseqs: [] })).toBe('* SEARCH\r\n');
  });

  it('answers with ESEARCH (ALL) once IMAP4rev2 is enabled (RFC 9051 §6.4.4)', () => {
    expect(wire({ rev2: true })).toBe('* ESEARCH (TAG "A1") ALL 2,10:12,882\r\n');
    expect(wire({ rev2: true, uid: true })).toBe('* ESEARCH (TAG "A1") UID ALL 14,100:102,1115\r\n');
    expect(wire({ rev2: true, uids: [], seqs: [] })).toBe('* ESEARCH (TAG "A1")\r\n');
  });

  const options: Array<[SearchReturnOption[], string]> = [
    [['MIN'], '* ESEARCH (TAG "A1") MIN 2\r\n'],
    [['MAX'], '* ESEARCH (TAG "A1") MAX 882\r\n'],
    [['MIN', 'MAX'], '* ESEARCH (TAG "A1") MIN 2 MAX 882\r\n'],
    [['COUNT'], '* ESEARCH (TAG "A1") COUNT 5\r\n'],
    [['ALL'], '* ESEARCH (TAG "A1") ALL 2,10:12,882\r\n'],
    [['MIN', 'COUNT'], '* ESEARCH (TAG "A1") MIN 2 COUNT 5\r\n'],
    [['COUNT', 'MAX', 'ALL', 'MIN'], '* ESEARCH (TAG "A1") MIN 2 MAX 882 ALL 2,10:12,882 COUNT 5\r\n'],
    [['SAVE'], ''],
    [['SAVE', 'MIN'], '* ESEARCH (TAG "A1") MIN 2\r\n'],
  ];
  it.each(options)('RETURN %j (RFC 4731 §3.1)', (opts, expected) => {
    expect(wire({ returnOptions: opts })).toBe(expected);
  });

  it('leaves out MIN, MAX and ALL when nothing matched, never COUNT (RFC 4731 §3.1)', () => {
    expect(wire({ returnOptions: ['MIN', 'MAX', 'ALL', 'COUNT'], uids: [], seqs: [] })).toBe('* ESEARCH (TAG "A1") COUNT 0\r\n');
    expect(wire({ returnOptions: ['MIN'], uids: [], seqs: [], uid: true })).toBe('* ESEARCH (TAG "A1") UID\r\n');
  });

  it('reports MODSEQ per RFC 4731 §3.2: one message for MIN or MAX, the higher of both, else all', () => {
    const modseqs = [917162488, 3, 917162500, 4, 907162321];
    expect(wire({ returnOptions: ['MIN'], modseqs })).toBe('* ESEARCH (TAG "A1") MIN 2 MODSEQ 917162488\r\n');
    expect(wire({ returnOptions: ['MAX'], modseqs })).toBe('* ESEARCH (TAG "A1") MAX 882 MODSEQ 907162321\r\n');
    expect(wire({ returnOptions: ['MIN', 'MAX'], modseqs })).toBe('* ESEARCH (TAG "A1") MIN 2 MAX 882 MODSEQ 917162488\r\n');
    expect(wire({ returnOptions: ['MIN', 'COUNT'], modseqs })).toBe('* ESEARCH (TAG "A1") MIN 2 COUNT 5 MODSEQ 917162500\r\n');
    expect(wire({ returnOptions: ['COUNT'], uids: [], seqs: [], modseqs: [] })).toBe('* ESEARCH (TAG "A1") COUNT 0\r\n');
  });

  it('saves UIDs: all matches, or just MIN/MAX without ALL/COUNT (RFC 9051 §6.4.4.1 table 4)', () => {
    expect(saved({ returnOptions: null })).toBeNull();
    expect(saved({ returnOptions: ['ALL'] })).toBeNull();
    expect(saved({ returnOptions: ['SAVE'] })).toEqual([14, 100, 101, 102, 1115]);
    expect(saved({ returnOptions: ['SAVE', 'MIN'] })).toEqual([14]);
    expect(saved({ returnOptions: ['SAVE', 'MAX'] })).toEqual([1115]);
    expect(saved({ returnOptions: ['SAVE', 'MIN', 'MAX'] })).toEqual([14, 1115]);
    expect(saved({ returnOptions: ['SAVE', 'MIN', 'COUNT'] })).toEqual([14, 100, 101, 102, 1115]);
    expect(saved({ returnOptions: ['SAVE', 'MIN', 'MAX'], uids: [7], seqs: [1] })).toEqual([7]);
    expect(saved({ returnOptions: ['SAVE', 'MIN'], uids: [], seqs: [] })).toEqual([]);
    // UID or not, "$" holds UIDs.
    expect(saved({ returnOptions: ['SAVE'], uid: true })).toEqual([14, 100, 101, 102, 1115]);
  });
});
