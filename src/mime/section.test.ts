import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MESSAGES_DIR } from '../../test/helpers/corpus.js';
import { describe, expect, it } from 'vitest';
import { parseMessage } from './parse.js';
import { binarySection, findPart, resolveSection, sectionBytes, type SectionSpec } from './section.js';

const corpus = (name: string): Buffer =>
  readFileSync(join(MESSAGES_DIR, name));
const crlf = (b: Buffer | string): Buffer => Buffer.from(b.toString('latin1').replace(/\r?\n/g, '\r\n'), 'latin1');

// The corpus copy of the RFC 2060 §6.4.5 part-specifier example, each part naming its number.
const raw = crlf(corpus('rfc2060.txt'));
const { root } = parseMessage(raw);
const fetch = (part: number[], text?: SectionSpec['text'], fields?: string[]): string =>
  sectionBytes(raw, root, { part, text, fields }).toString('latin1');
const says = (n: string): string => `This part specifier should be: ${n}\r\n`;

describe('BODY[section] on the RFC 9051 §6.4.5.1 example message', () => {
  const leaves: [string, number[]][] = [
    ['1', [1]], ['2', [2]], ['3.1', [3, 1]], ['3.2', [3, 2]], ['4.1', [4, 1]],
    ['4.2.1', [4, 2, 1]], ['4.2.2.1', [4, 2, 2, 1]], ['4.2.2.2', [4, 2, 2, 2]],
  ];
  it.each(leaves)('part %s', (name, path) => {
    expect(fetch(path)).toBe(says(name));
  });

  it('HEADER and TEXT of the message', () => {
    expect(fetch([], 'HEADER')).toBe('From: me@myself.com\r\nTo: me@myself.com\r\n' +
      'Subject: Sample message structure for IMAP part specifiers\r\nMIME-Version: 1.0\r\n' +
      'Content-Type: MULTIPART/MIXED; boundary="x"\r\n\r\n');
    const text = fetch([], 'TEXT');
    expect(text.startsWith('--x\r\nContent-Type: TEXT/PLAIN\r\n\r\n' + says('1'))).toBe(true);
    expect(text.endsWith('--4.2.x--\r\n--x--\r\n')).toBe(true);
    expect(fetch([])).toBe(raw.toString('latin1'));
  });

  it('a message/rfc822 part: its body is the whole message, HEADER/TEXT are its parts', () => {
    const header3 = 'From: me@myself.com\r\nTo: me@myself.com\r\nSubject: This part specifier should be: 3\r\n' +
      'MIME-Version: 1.0\r\nContent-Type: MULTIPART/MIXED; boundary="3.x"\r\n\r\n';
    expect(fetch([3], 'HEADER')).toBe(header3);
    const text3 = fetch([3], 'TEXT');
    expect(text3).toBe('--3.x\r\nContent-Type: TEXT/PLAIN\r\n\r\n' + says('3.1') + '\r\n--3.x\r\n' +
      'Content-Type: APPLICATION/OCTET-STREAM\r\n\r\n' + says('3.2') + '\r\n--3.x--');
    expect(fetch([3])).toBe(header3 + text3);
    expect(fetch([4, 2], 'HEADER')).toContain('Subject: This part specifier should be: 4.2\r\n');
    expect(fetch([4, 2], 'TEXT').startsWith('--4.2.x\r\n')).toBe(true);
  });

  it('MIME headers of parts', () => {
    expect(fetch([1], 'MIME')).toBe('Content-Type: TEXT/PLAIN\r\n\r\n');
    expect(fetch([3], 'MIME')).toBe('Content-Type: MESSAGE/RFC822\r\n\r\n');
    expect(fetch([4, 1], 'MIME')).toBe('Content-Type: IMAGE/GIF\r\n\r\n');
    expect(fetch([4, 2, 2], 'MIME')).toBe('Content-Type: MULTIPART/ALTERNATIVE; boundary="4.2.2.x"\r\n\r\n');
  });

  it('a multipart part: its body, from the first delimiter to the end of its last part', () => {
    // The example has no "--4.x--": part 4 ends where the outer "--x--" delimiter begins.
    expect(fetch([4])).toMatch(/^--4\.x\r\nContent-Type: IMAGE\/GIF\r\n[\s\S]*\r\n--4\.2\.2\.x--\r\n--4\.2\.x--$/);
  });

  it('HEADER.FIELDS and HEADER.FIELDS.NOT keep order, match case-insensitively, keep the blank line', () => {
    expect(fetch([3], 'HEADER.FIELDS', ['subject', 'TO'])).toBe('To: me@myself.com\r\nSubject: This part specifier should be: 3\r\n\r\n');
    expect(fetch([], 'HEADER.FIELDS.NOT', ['Subject', 'To', 'MIME-Version', 'Content-Type'])).toBe('From: me@myself.com\r\n\r\n');
    expect(fetch([], 'HEADER.FIELDS', ['X-Nothing'])).toBe('\r\n');
  });

  it('nonexistent parts and misplaced specifiers are empty', () => {
    for (const path of [[5], [4, 3], [3, 3], [1, 1], [4, 2, 2, 3], [0], [-1], [1.5]]) expect(fetch(path)).toBe('');
    expect(fetch([2], 'HEADER')).toBe(''); // not a message/rfc822 part
    expect(fetch([1], 'TEXT')).toBe('');
    expect(fetch([], 'MIME')).toBe('');
    expect(resolveSection(raw, root, { part: [9] })).toEqual({ kind: 'range', start: 0, end: 0 });
  });
});

describe('BODY[section] on single-part messages', () => {
  const single = crlf('Subject: s\nX-A: 1\n\nhello\n');
  const s = parseMessage(single).root;
  const get = (spec: SectionSpec): string => sectionBytes(single, s, spec).toString('latin1');
  it('part 1 is the body; its MIME header is the message header', () => {
    expect(get({ part: [1] })).toBe('hello\r\n');
    expect(get({ part: [1], text: 'MIME' })).toBe('Subject: s\r\nX-A: 1\r\n\r\n');
    expect(get({ part: [2] })).toBe('');
    expect(get({ part: [1, 1] })).toBe('');
  });
  it('no blank line after the header is not invented', () => {
    const noBody = Buffer.from('Subject: s\r\nX-A: 1\r\n');
    const r = parseMessage(noBody).root;
    expect(sectionBytes(noBody, r, { part: [], text: 'HEADER.FIELDS', fields: ['X-A'] }).toString()).toBe('X-A: 1\r\n');
    expect(sectionBytes(noBody, r, { part: [], text: 'HEADER' }).toString()).toBe('Subject: s\r\nX-A: 1\r\n');
  });
  it('a top-level message/rfc822 has parts inside part 1 (corpus multipart-digest.txt)', () => {
    const d = crlf(corpus('multipart-digest.txt'));
    const r = parseMessage(d).root;
    expect(findPart(r, [1])).toBe(r);
    expect(sectionBytes(d, r, { part: [1], text: 'HEADER' }).toString()).toMatch(/^From: sub@domain\.org\r\n[\s\S]*boundary="foo"\r\n\r\n$/);
    expect(sectionBytes(d, r, { part: [1, 2], text: 'MIME' }).toString()).toBe('Content-Type: message/rfc822\r\nX-Mime: m2 header\r\n\r\n');
    expect(sectionBytes(d, r, { part: [1, 2, 1] }).toString()).toBe('m2 body\r\n');
    expect(sectionBytes(d, r, { part: [1, 1], text: 'HEADER.FIELDS', fields: ['subject'] }).toString()).toBe('Subject: m1\r\n\r\n');
  });
});

describe('BINARY[section] (RFC 3516)', () => {
  const m = crlf(`Content-Type: multipart/mixed; boundary=b

--b
Content-Transfer-Encoding: base64

aGVsbG8gd29ybGQ=
--b
Content-Transfer-Encoding: quoted-printable

caf=C3=A9=
!
--b
Content-Type: application/octet-stream
Content-Transfer-Encoding: x-uuencode

begin 644 x
--b
Content-Type: message/rfc822

Subject: inner

x
--b--
`);
  const r = parseMessage(m).root;
  it('decodes base64 and quoted-printable leaves', () => {
    expect(binarySection(m, r, [1])).toEqual({ ok: true, data: Buffer.from('hello world') });
    expect(binarySection(m, r, [2])).toEqual({ ok: true, data: Buffer.from('café!') });
    expect(binarySection(m, r, [4, 1])).toEqual({ ok: true, data: Buffer.from('x') });
  });
  it('signals an unknown encoding; a message/rfc822 part is its body as stored (identity encoding)', () => {
    expect(binarySection(m, r, [3])).toEqual({ ok: false, reason: 'unknown-cte' });
    expect(binarySection(m, r, [4])).toEqual({ ok: true, data: Buffer.from('Subject: inner\r\n\r\nx') });
  });
  it('the empty section is the message as stored; a missing part is empty', () => {
    expect(binarySection(m, r, [])).toEqual({ ok: true, data: m });
    expect(binarySection(m, r, [9])).toEqual({ ok: true, data: Buffer.alloc(0) });
  });
});
