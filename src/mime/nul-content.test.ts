import { describe, expect, it } from 'vitest';
import { encodeNulContent } from './nul-content.js';
import { binarySection, parseMessage, sectionBytes } from './index.js';

const bin = Buffer.from([0x00, 0xed, 0x0a, 0x0d, 0x0a, 0x00]);

describe('encodeNulContent (RFC 3516 §4.4)', () => {
  it('leaves a message without NUL as it is (the same buffer)', () => {
    const m = Buffer.from('Subject: x\r\nContent-Transfer-Encoding: binary\r\n\r\n\xed\xff\r\n', 'latin1');
    expect(encodeNulContent(m)).toBe(m);
  });

  it('re-encodes a single-part binary body in base64, keeping every other header field', () => {
    const m = Buffer.concat([Buffer.from('From: a@b.c\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: binary\r\nX-After: 1\r\n\r\n'), bin]);
    const out = encodeNulContent(m);
    expect(out.includes(0)).toBe(false);
    expect(out.toString('latin1')).toBe(
      `From: a@b.c\r\nContent-Type: application/octet-stream\r\nX-After: 1\r\nContent-Transfer-Encoding: base64\r\n\r\n${bin.toString('base64')}`,
    );
    const root = parseMessage(out).root;
    expect(root.encoding).toBe('base64');
    expect(binarySection(out, root, [1])).toEqual({ ok: true, data: bin });
  });

  it('re-encodes only the parts with NUL, inside multiparts and attached messages, with 76-character lines', () => {
    const big = Buffer.alloc(100, 0x41);
    big[50] = 0;
    const m = Buffer.concat([
      Buffer.from('Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nplain\r\n--b\r\n'),
      Buffer.from('Content-Type: application/x-y\r\n\r\n'), big,
      Buffer.from('\r\n--b\r\nContent-Type: message/rfc822\r\n\r\nSubject: inner\r\nContent-Transfer-Encoding: 8bit\r\n\r\n'), bin,
      Buffer.from('\r\n--b--\r\n'),
    ]);
    const out = encodeNulContent(m);
    expect(out.includes(0)).toBe(false);
    const root = parseMessage(out).root;
    expect(sectionBytes(out, root, { part: [1] }).toString()).toBe('plain');
    expect(root.children![1]!.encoding).toBe('base64');
    const encoded = sectionBytes(out, root, { part: [2] }).toString().split('\r\n');
    expect(encoded.map((l) => l.length)).toEqual([76, 60]);
    expect(binarySection(out, root, [2])).toEqual({ ok: true, data: big });
    expect(binarySection(out, root, [3, 1])).toEqual({ ok: true, data: bin });
    expect(sectionBytes(out, root, { part: [3], text: 'HEADER' }).toString()).toBe('Subject: inner\r\nContent-Transfer-Encoding: base64\r\n\r\n');
  });

  it('leaves NUL it cannot encode (a header field, content claiming base64)', () => {
    const m = Buffer.from('Subject: a\x00b\r\nContent-Transfer-Encoding: base64\r\n\r\nQQ\x00==\r\n', 'latin1');
    expect(encodeNulContent(m)).toBe(m);
  });
});
