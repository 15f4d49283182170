import { describe, expect, it } from 'vitest';
import { parseBdat } from './bdat.js';

describe('parseBdat (RFC 3030 §2 bdat-cmd)', () => {
  it('reads a size and the optional LAST', () => {
    expect(parseBdat('BDAT 86 LAST')).toEqual({ ok: true, size: 86, last: true });
    expect(parseBdat('BDAT 1000')).toEqual({ ok: true, size: 1000, last: false });
    expect(parseBdat('bdat 0 last')).toEqual({ ok: true, size: 0, last: true });
    expect(parseBdat('BDAT 007 LAST ')).toEqual({ ok: true, size: 7, last: true });
    expect(parseBdat('BDAT 999999999999999')).toEqual({ ok: true, size: 999999999999999, last: false });
  });

  it('keeps the size of a line that is otherwise wrong, so its octets can still be read', () => {
    expect(parseBdat('BDAT 10 FIRST')).toEqual({ ok: false, size: 10 });
    expect(parseBdat('BDAT 10 LAST now')).toEqual({ ok: false, size: 10 });
  });

  it('has no size for a missing, signed, fractional or oversized count', () => {
    for (const line of ['BDAT', 'BDAT ', 'BDAT LAST', 'BDAT -1', 'BDAT +5', 'BDAT 1.5', 'BDAT 0x10', 'BDAT 1e3',
      'BDAT 1000000000000000', 'BDAT 10\tLAST', 'DATA 10']) {
      expect(parseBdat(line)).toEqual({ ok: false, size: null });
    }
  });
});
