import { describe, expect, it } from 'vitest';
import {
  paramText, parseContentType, parseDisposition, parseEncoding, parseLanguage, parseParams, textParams,
} from './params.js';

describe('parseContentType (RFC 2045 §5.1)', () => {
  const cases: [string, string, ReturnType<typeof parseContentType>][] = [
    ['simple', 'text/plain', { type: 'text', subtype: 'plain', params: [] }],
    ['case folded, params kept', 'TEXT/PLAIN; CHARSET=US-ASCII', {
      type: 'text', subtype: 'plain', params: [{ name: 'charset', value: 'US-ASCII' }],
    }],
    // RFC 2045 §5.1: comments are allowed in structured fields.
    ['comments and spaces', ' text / plain (a comment) ; charset = "us-ascii" (Plain text)', {
      type: 'text', subtype: 'plain', params: [{ name: 'charset', value: 'us-ascii' }],
    }],
    ['quoted-pair in a quoted string', 'text/x-myown; foo="quoted\\"string"', {
      type: 'text', subtype: 'x-myown', params: [{ name: 'foo', value: 'quoted"string' }],
    }],
    ['folded boundary (unfolded by the caller)', 'multipart/mixed; boundary="foo bar"', {
      type: 'multipart', subtype: 'mixed', params: [{ name: 'boundary', value: 'foo bar' }],
    }],
    ['unquoted value with spaces (lenient)', 'application/pdf; name=my file.pdf; x=1', {
      type: 'application', subtype: 'pdf', params: [{ name: 'name', value: 'my file.pdf' }, { name: 'x', value: '1' }],
    }],
    ['first duplicate wins', 'text/plain; charset=a; charset=b', {
      type: 'text', subtype: 'plain', params: [{ name: 'charset', value: 'a' }],
    }],
    ['garbage parameters skipped', 'text/plain; ; foo; =bar; charset=utf-8;', {
      type: 'text', subtype: 'plain', params: [{ name: 'charset', value: 'utf-8' }],
    }],
    ['unterminated quoted string', 'text/plain; name="abc', {
      type: 'text', subtype: 'plain', params: [{ name: 'name', value: 'abc' }],
    }],
    // RFC 2045 §5.2: a syntactically invalid Content-Type is treated as absent.
    ['missing subtype (corpus missing-subtype.txt)', 'application-x-gzip; name="document.xml.gz"', null],
    ['empty subtype', 'text/; charset=x', null],
    ['empty', '', null],
  ];
  it.each(cases)('%s', (_name, input, expected) => {
    expect(parseContentType(input)).toEqual(expected);
  });
});

describe('RFC 2231 parameters', () => {
  it('joins continuations (RFC 2231 §3)', () => {
    const ct = parseContentType('message/external-body; access-type=URL;\r\n URL*0="ftp://";\r\n URL*1="cs.utk.edu/pub/moore/bulk-mailer/bulk-mailer.tar"');
    expect(ct?.params).toEqual([
      { name: 'access-type', value: 'URL' },
      { name: 'url', value: 'ftp://cs.utk.edu/pub/moore/bulk-mailer/bulk-mailer.tar' },
    ]);
  });
  it('keeps an extended value in its wire form and decodes it on request (RFC 2231 §4)', () => {
    const params = parseParams("; title*=us-ascii'en-us'This%20is%20%2A%2A%2Afun%2A%2A%2A", 0);
    expect(params).toEqual([{ name: 'title*', value: "us-ascii'en-us'This%20is%20%2A%2A%2Afun%2A%2A%2A" }]);
    expect(paramText(params, 'title')).toBe('This is ***fun***');
  });
  it('joins mixed extended and plain sections into one extended value (RFC 2231 §4.1)', () => {
    const params = parseParams(
      "; title*0*=us-ascii'en'This%20is%20even%20more%20; title*1*=%2A%2A%2Afun%2A%2A%2A%20; title*2=\"isn't it!\"", 0);
    expect(params).toEqual([{
      name: 'title*', value: "us-ascii'en'This%20is%20even%20more%20%2A%2A%2Afun%2A%2A%2A%20isn%27t%20it!",
    }]);
    expect(paramText(params, 'title')).toBe("This is even more ***fun*** isn't it!");
  });
  it('orders sections by number and decodes UTF-8', () => {
    const params = parseParams("; filename*1*=%A9.txt; filename*0*=utf-8''caf%C3", 0);
    expect(paramText(params, 'filename')).toBe('café.txt');
  });
  it('prefers the extended form, else decodes RFC 2047 words in plain values', () => {
    expect(paramText(parseParams('; name="=?utf-8?B?w6kudHh0?="', 0), 'name')).toBe('é.txt');
    expect(paramText(parseParams("; name=plain.txt; name*=utf-8''%E2%82%AC.txt", 0), 'name')).toBe('€.txt');
    expect(paramText([], 'name')).toBeNull();
  });
  it('turns 8-bit values into text (UTF-8 when valid)', () => {
    const latin1 = Buffer.from('name="Jørn.txt"', 'utf8').toString('latin1');
    expect(textParams(parseParams('; ' + latin1, 0))).toEqual([{ name: 'name', value: 'Jørn.txt' }]);
  });
});

describe('other MIME fields', () => {
  it('parses Content-Disposition (RFC 2183)', () => {
    expect(parseDisposition('attachment; filename=genome.jpeg;\r\n modification-date="Wed, 12 Feb 1997 16:29:51 -0500"')).toEqual({
      type: 'attachment',
      params: [{ name: 'filename', value: 'genome.jpeg' }, { name: 'modification-date', value: 'Wed, 12 Feb 1997 16:29:51 -0500' }],
    });
    expect(parseDisposition('INLINE')).toEqual({ type: 'inline', params: [] });
    expect(parseDisposition('; filename=x')).toBeNull();
  });
  it('parses Content-Language (RFC 3282)', () => {
    expect(parseLanguage('en, fi, se')).toEqual(['en', 'fi', 'se']);
    expect(parseLanguage('it-IT')).toEqual(['it-IT']);
    expect(parseLanguage(' (comment) ')).toBeNull();
  });
  it('parses Content-Transfer-Encoding (RFC 2045 §6.1)', () => {
    expect(parseEncoding(undefined)).toBe('7bit');
    expect(parseEncoding(' BASE64 ')).toBe('base64');
    expect(parseEncoding('Quoted-Printable (comment)')).toBe('quoted-printable');
    expect(parseEncoding('?invalid')).toBe('7bit');
    expect(parseEncoding('x-uuencode')).toBe('x-uuencode');
  });
});
