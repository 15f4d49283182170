import { describe, expect, it } from 'vitest';
import { decodeBase64, decodeQuotedPrintable, decodeTransfer } from './transfer.js';
import { decodeEntities, htmlToText } from './html.js';

const qp = (s: string): string => decodeQuotedPrintable(Buffer.from(s, 'latin1')).toString('latin1');

describe('quoted-printable (RFC 2045 §6.7)', () => {
  const cases: [string, string, string][] = [
    ['plain text', 'abc', 'abc'],
    ['hex escapes, either case', '=41=42=c3=a9', 'AB\u00c3\u00a9'],
    ['soft line break CRLF', 'Now\'s the time =\r\nfor all folk', "Now's the time for all folk"],
    ['soft line break LF', 'a=\nb', 'ab'],
    ['soft break with trailing whitespace (rule 3)', 'a= \t\r\nb', 'ab'],
    ['hard line breaks kept', 'a\r\nb\nc', 'a\r\nb\nc'],
    ['trailing whitespace on a line removed', 'a  \r\nb\t\nc ', 'a\r\nb\nc'],
    ['inner whitespace kept', 'a  b', 'a  b'],
    ['encoded trailing space kept', 's=20\r\n', 's \r\n'],
    ['"=" without hex stays', 'a=zz=4', 'a=zz=4'],
    ['"=" at the end is a soft break', 'abc=', 'abc'],
    // corpus issue1130.txt
    ['format=flowed body', 'there i=\ns=20\na "You', 'there is \na "You'],
  ];
  it.each(cases)('%s', (_name, input, expected) => {
    expect(qp(input)).toBe(expected);
  });
});

describe('base64 (RFC 2045 §6.8)', () => {
  it('decodes across lines and ignores junk', () => {
    expect(decodeBase64(Buffer.from('VGhpcyBpcyB0aGUg\r\nYmFzZTY0IGVuY29kZWQgYXR0YWNobWVudC4=\r\n')).toString())
      .toBe('This is the base64 encoded attachment.');
    expect(decodeBase64(Buffer.from('YW*Jj')).toString()).toBe('abc');
  });
  it('decodes separately padded chunks', () => {
    expect(decodeBase64(Buffer.from('YQ==\r\nYg==\r\nYw==')).toString()).toBe('abc');
  });
  it('is empty for empty input', () => {
    expect(decodeBase64(Buffer.alloc(0)).length).toBe(0);
  });
});

describe('decodeTransfer', () => {
  it('is the identity for 7bit, 8bit and binary', () => {
    const b = Buffer.from([0, 1, 2, 255]);
    for (const enc of ['7bit', '8bit', 'binary', 'BINARY']) expect(decodeTransfer(b, enc)).toBe(b);
  });
  it('decodes base64 and quoted-printable', () => {
    expect(decodeTransfer(Buffer.from('YWJj'), 'base64')?.toString()).toBe('abc');
    expect(decodeTransfer(Buffer.from('a=3Db'), 'Quoted-Printable')?.toString()).toBe('a=b');
  });
  it('returns null for an unknown encoding (BINARY answers NO [UNKNOWN-CTE])', () => {
    expect(decodeTransfer(Buffer.from('x'), 'x-uuencode')).toBeNull();
  });
});

describe('htmlToText', () => {
  it('drops head, scripts, styles, comments and tags; blocks become line breaks', () => {
    const html = '<html><head><title>T</title><style>p{}</style></head><body><!-- c --><p>Hello <b>wor</b>ld</p>' +
      '<script>x()</script><div>next&nbsp;&amp;&#32;&#x41;&lt;</div></body></html>';
    expect(htmlToText(html).replace(/[ \n]+/g, ' ').trim()).toBe('Hello world next\u00a0& A<');
  });
  it('keeps text that only looks like markup', () => {
    expect(htmlToText('a < b and c > d')).toBe('a < b and c > d');
  });
  it('decodes entities, leaving unknown ones', () => {
    expect(decodeEntities('&euro;&foo;&#0;&#x1F600;')).toBe('€&foo;\ufffd😀');
  });
});
