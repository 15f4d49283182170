import { describe, expect, it } from 'vitest';
import { errLine, okLine, stuffedBody, textLines, topOf } from './response.js';

const body = (s: string): string => Buffer.concat(stuffedBody(Buffer.from(s, 'latin1'))).toString('latin1');

describe('POP3 responses', () => {
  it('status lines carry response codes and never a stray line break', () => {
    expect(okLine()).toBe('+OK\r\n');
    expect(okLine('2 320')).toBe('+OK 2 320\r\n');
    expect(errLine('No such message')).toBe('-ERR No such message\r\n');
    expect(errLine('Locked', 'IN-USE')).toBe('-ERR [IN-USE] Locked\r\n');
    expect(errLine('a\r\nb')).toBe('-ERR a b\r\n');
    expect(Buffer.byteLength(errLine('x'.repeat(1000)))).toBeLessThanOrEqual(512);
    // Octets, not characters: multi-byte text (a client's echoed argument) is cut too, never mid-character.
    const long = errLine(`Unsupported mechanism ${'ö€𝄞'.repeat(300)}`, 'SYS/TEMP');
    expect(Buffer.byteLength(long)).toBeLessThanOrEqual(512);
    expect(long).not.toContain('\uFFFD');
    expect(long.endsWith('…\r\n')).toBe(true);
  });

  it('text listings are stuffed and terminated', () => {
    expect(textLines(['TOP', '.odd'])).toBe('TOP\r\n..odd\r\n.\r\n');
    expect(textLines([])).toBe('.\r\n');
  });

  // RFC 1939 §3: lines starting with the termination octet get one more; the body ends CRLF "." CRLF.
  it.each([
    ['a\r\nb\r\n', 'a\r\nb\r\n.\r\n'],
    ['.a\r\n', '..a\r\n.\r\n'],
    ['a\r\n.\r\nb\r\n', 'a\r\n..\r\nb\r\n.\r\n'],
    ['a\r\n..b\r\n', 'a\r\n...b\r\n.\r\n'],
    ['a\r\nno newline', 'a\r\nno newline\r\n.\r\n'],
    ['bare\n.lf\n', 'bare\n..lf\n.\r\n'],
    ['', '.\r\n'],
    ['.', '..\r\n.\r\n'],
    ['a.b\r\n', 'a.b\r\n.\r\n'],
  ])('stuffs %j', (input, output) => {
    expect(body(input)).toBe(output);
  });

  it('stuffing keeps every other byte as it is', () => {
    const bytes = Buffer.from([0x00, 0xff, 0x0d, 0x0a, 0x2e, 0x80, 0x0d, 0x0a]);
    expect(Buffer.concat(stuffedBody(bytes))).toEqual(Buffer.from([0x00, 0xff, 0x0d, 0x0a, 0x2e, 0x2e, 0x80, 0x0d, 0x0a, 0x2e, 0x0d, 0x0a]));
  });

  describe('TOP (RFC 1939 §7)', () => {
    const msg = Buffer.from('Subject: x\r\nFrom: a\r\n\r\none\r\ntwo\r\nthree\r\n');
    const headerSize = 'Subject: x\r\nFrom: a\r\n\r\n'.length;
    it.each([
      [0, 'Subject: x\r\nFrom: a\r\n\r\n'],
      [1, 'Subject: x\r\nFrom: a\r\n\r\none\r\n'],
      [3, 'Subject: x\r\nFrom: a\r\n\r\none\r\ntwo\r\nthree\r\n'],
      [100, 'Subject: x\r\nFrom: a\r\n\r\none\r\ntwo\r\nthree\r\n'],
    ])('n = %i', (n, out) => {
      expect(topOf(msg, headerSize, n).toString()).toBe(out);
    });
    it('a body without a final line break', () => {
      const m = Buffer.from('S: x\r\n\r\nlast');
      expect(topOf(m, 9, 5).toString()).toBe('S: x\r\n\r\nlast');
    });
    it('a message that is all header', () => {
      const m = Buffer.from('S: x\r\n');
      expect(topOf(m, m.length, 2).toString()).toBe('S: x\r\n');
    });
  });
});
