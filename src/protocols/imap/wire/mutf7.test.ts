import { describe, expect, it } from 'vitest';
import { decodeMutf7, encodeMutf7 } from './mutf7.js';

describe('modified UTF-7 (RFC 3501 §5.1.3)', () => {
  it.each([
    ['INBOX', 'INBOX'],
    ['AT&T', 'AT&-T'],
    ['&', '&-'],
    // RFC 3501 §5.1.3 example: English, Chinese and Japanese.
    ['~peter/mail/台北/日本語', '~peter/mail/&U,BTFw-/&ZeVnLIqe-'],
    ['台北日本語', '&U,BTF2XlZyyKng-'],
    ['☺!', '&Jjo-!'],
    ['Entwürfe', 'Entw&APw-rfe'],
    ['Gelöschte Elemente', 'Gel&APY-schte Elemente'],
    ['😀', '&2D3eAA-'],
    ['tab\there', 'tab&AAk-here'],
  ])('%s <-> %s', (name, wire) => {
    expect(encodeMutf7(name)).toBe(wire);
    expect(decodeMutf7(wire)).toBe(name);
  });

  it.each([
    ['&Jjo!', 'no shift back before "!"'],
    ['&U,BTFw-&ZeVnLIqe-', 'superfluous shift'],
    ['&', 'unterminated shift'],
    ['abc&U,BTFw', 'unterminated shift'],
    ['&AGE-', 'base64 for a printable ASCII character ("a")'],
    ['&ACY-', 'base64 for "&"'],
    ['&AAA/-', 'character outside the modified base64 alphabet'],
    ['&AA=-', 'padding character'],
    ['&2D3-', 'dangling high surrogate'],
    ['&3gA-', 'lone low surrogate'],
    ['&AOR-', 'non-zero leftover bits'],
    ['&AOQA-', 'a whole extra base64 character'],
    ['&AO-', 'too short for one UTF-16 unit'],
    ['caf\u00e9', '8-bit character'],
    ['a\tb', 'control character in ASCII'],
  ])('rejects %j (%s)', (wire) => {
    expect(decodeMutf7(wire)).toBeNull();
  });

  it('round-trips arbitrary Unicode names', () => {
    const alphabet = ['a', 'Z', '&', '-', ' ', '/', '.', 'é', 'ß', '中', '文', '😀', '\u0001', '~', ',', '+'];
    let seed = 12345;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    for (let i = 0; i < 2000; i++) {
      let name = '';
      const len = rand(12);
      for (let j = 0; j < len; j++) name += alphabet[rand(alphabet.length)]!;
      const wire = encodeMutf7(name);
      expect(wire).toMatch(/^[\x20-\x7e]*$/);
      expect(decodeMutf7(wire)).toBe(name);
    }
  });
});
