import { describe, expect, it } from 'vitest';
import { decodeHeaderValue, unfold } from './encoded-words.js';
import { decodeCharset, decodeUnknown, fixLatin1 } from './charset.js';

describe('decodeHeaderValue (RFC 2047)', () => {
  // RFC 2047 §8 examples, and the display forms the RFC gives for them.
  const rfc2047: [string, string][] = [
    ['=?US-ASCII?Q?Keith_Moore?=', 'Keith Moore'],
    ['=?ISO-8859-1?Q?Keld_J=F8rn_Simonsen?=', 'Keld Jørn Simonsen'],
    ['=?ISO-8859-1?Q?Andr=E9?= Pirard', 'André Pirard'],
    [
      '=?ISO-8859-1?B?SWYgeW91IGNhbiByZWFkIHRoaXMgeW8=?=\r\n =?ISO-8859-2?B?dSB1bmRlcnN0YW5kIHRoZSBleGFtcGxlLg==?=',
      'If you can read this you understand the example.',
    ],
    ['(=?ISO-8859-1?Q?a?=)', '(a)'],
    ['(=?ISO-8859-1?Q?a?= b)', '(a b)'],
    ['(=?ISO-8859-1?Q?a?= =?ISO-8859-1?Q?b?=)', '(ab)'],
    ['(=?ISO-8859-1?Q?a?=  =?ISO-8859-1?Q?b?=)', '(ab)'],
    ['(=?ISO-8859-1?Q?a?=\r\n    =?ISO-8859-1?Q?b?=)', '(ab)'],
    ['(=?ISO-8859-1?Q?a_b?=)', '(a b)'],
    ['(=?ISO-8859-1?Q?a?= =?ISO-8859-2?Q?_b?=)', '(a b)'],
    // RFC 2231 §5 language suffix.
    ['=?US-ASCII*EN?Q?Keith_Moore?=', 'Keith Moore'],
  ];
  it.each(rfc2047)('%j -> %j', (input, expected) => {
    expect(decodeHeaderValue(input)).toBe(expected);
  });

  const more: [string, string, string][] = [
    ['plain text is unchanged', 'Hello world', 'Hello world'],
    ['lower-case b and q', '=?utf-8?b?w6k=?= =?utf-8?q?=C3=A9?=', 'éé'],
    ['a character split across two words', '=?utf-8?Q?=C3?= =?utf-8?Q?=A9?=', 'é'],
    ['ISO-2022-JP (corpus japanese.txt)',
      '=?ISO-2022-JP?B?GyRCRnxLXDhsJWEhPCVrJUYlOSVIGyhCICh0ZXN0aW5nIEph?=\n =?ISO-2022-JP?B?cGFuZXNlIGVtYWlscyk=?=',
      '日本語メールテスト (testing Japanese emails)'],
    ['unknown charset, UTF-8 bytes', '=?x-foo?Q?=C3=A9?=', 'é'],
    ['unknown charset, not UTF-8: latin1', '=?x-foo?Q?=E9?=', 'é'],
    ['bad base64 stays as it is', '=?utf-8?B?***?=', '=?utf-8?B?***?='],
    ['unknown encoding stays as it is', '=?utf-8?X?abc?=', '=?utf-8?X?abc?='],
    ['incomplete word stays as it is', '=?utf-8?Q?abc', '=?utf-8?Q?abc'],
    ['text between words is kept', '=?utf-8?Q?a?= and =?utf-8?Q?b?=', 'a and b'],
    ['glued to text (lenient)', 'Re:=?utf-8?Q?caf=C3=A9?=', 'Re:café'],
    ['Q with a stray "="', '=?utf-8?Q?100=?=', '100='],
    ['empty encoded text', '=?utf-8?Q??=', ''],
    ['folding is removed', 'a\r\n b\n\tc', 'a b\tc'],
  ];
  it.each(more)('%s', (_name, input, expected) => {
    expect(decodeHeaderValue(input)).toBe(expected);
  });

  it('joins thousands of adjacent words in linear time', () => {
    const words = Array.from({ length: 20000 }, () => '=?utf-8?Q?ab?=').join('\r\n\t');
    const start = Date.now();
    expect(decodeHeaderValue(words)).toBe('ab'.repeat(20000));
    expect(Date.now() - start).toBeLessThan(2000);
  });
});

describe('unfold', () => {
  it('removes CRLF and LF before whitespace, and stray line breaks', () => {
    expect(unfold('a\r\n b')).toBe('a b');
    expect(unfold('a\n\tb')).toBe('a\tb');
    expect(unfold('a\r\nb')).toBe('ab');
  });
});

describe('charsets', () => {
  it('decodes known charsets with TextDecoder', () => {
    expect(decodeCharset(Buffer.from([0xe9]), 'iso-8859-1')).toBe('é');
    expect(decodeCharset(Buffer.from([0x80]), 'windows-1252')).toBe('€');
    expect(decodeCharset(Buffer.from([0xa4]), 'ISO-8859-15')).toBe('€');
    expect(decodeCharset(Buffer.from([0xc1]), 'koi8-r')).toBe('а');
    expect(decodeCharset(Buffer.from('日本', 'utf8'), 'UTF8')).toBe('日本');
  });
  it('falls back to UTF-8 if valid, else latin1, for unknown or missing charsets', () => {
    expect(decodeCharset(Buffer.from('é', 'utf8'), 'x-nonsense')).toBe('é');
    expect(decodeCharset(Buffer.from([0xe9, 0x20]), 'x-nonsense')).toBe('é ');
    expect(decodeCharset(Buffer.from('é', 'utf8'), null)).toBe('é');
    expect(decodeCharset(Buffer.from('é', 'utf8'), 'us-ascii')).toBe('é');
    expect(decodeUnknown(Buffer.from('abc'))).toBe('abc');
  });
  it('fixLatin1 reads one-char-per-byte strings as UTF-8 when valid, once', () => {
    const latin1 = Buffer.from('Jørn', 'utf8').toString('latin1');
    expect(fixLatin1(latin1)).toBe('Jørn');
    expect(fixLatin1('J\u00f8rn')).toBe('Jørn'); // not valid UTF-8 as bytes: kept
    expect(fixLatin1('日本')).toBe('日本'); // already text
  });
});
