import { describe, expect, it } from 'vitest';
import type { MimePart } from './types.js';
import { LIMITS } from '../shared/limits.js';
import { parseStructure } from './structure.js';

/** A part as the bytes it covers: what FETCH BODY[n.MIME] and BODY[n] would return. */
interface Shape {
  type: string;
  header: string;
  body: string;
  lines?: number;
  children?: Shape[];
  message?: Shape;
}

function shape(raw: Buffer, p: MimePart, withLines: boolean): Shape {
  const s: Shape = {
    type: p.type + '/' + p.subtype,
    header: raw.toString('latin1', p.headerStart, p.bodyStart),
    body: raw.toString('latin1', p.bodyStart, p.bodyEnd),
  };
  if (withLines) s.lines = p.bodyLines;
  if (p.children !== undefined) s.children = p.children.map((c) => shape(raw, c, withLines));
  if (p.message !== undefined) s.message = shape(raw, p.message.root, withLines);
  return s;
}

const parse = (text: string, withLines = false): Shape => {
  const raw = Buffer.from(text, 'latin1');
  return shape(raw, parseStructure(raw).root, withLines);
};

const leaf = (type: string, header: string, body: string, lines?: number): Shape =>
  lines === undefined ? { type, header, body } : { type, header, body, lines };

describe('parseStructure: single parts', () => {
  const cases: [string, string, Shape][] = [
    ['CRLF', 'Subject: hi\r\n\r\nbody\r\n', leaf('text/plain', 'Subject: hi\r\n\r\n', 'body\r\n', 1)],
    ['bare LF', 'Subject: hi\n\nbody\n', leaf('text/plain', 'Subject: hi\n\n', 'body\n', 1)],
    ['no header at all', '\r\nbody', leaf('text/plain', '\r\n', 'body', 0)],
    ['no blank line: all header', 'Subject: hi\r\nX: y', leaf('text/plain', 'Subject: hi\r\nX: y', '', 0)],
    ['empty input', '', leaf('text/plain', '', '', 0)],
    ['last line without newline', 'A: b\r\n\r\nx\r\ny', leaf('text/plain', 'A: b\r\n\r\n', 'x\r\ny', 1)],
    ['folded and garbage header lines', 'From nobody Sat Jan  1 00:00:00 2000\r\nX: a\r\n b\r\nno colon here\r\n\r\nz',
      leaf('text/plain', 'From nobody Sat Jan  1 00:00:00 2000\r\nX: a\r\n b\r\nno colon here\r\n\r\n', 'z', 0)],
    ['multipart without boundary is opaque', 'Content-Type: multipart/mixed\r\n\r\n--b\r\nx',
      leaf('application/octet-stream', 'Content-Type: multipart/mixed\r\n\r\n', '--b\r\nx', 1)],
    ['encoded message/rfc822 is opaque (RFC 2046 §5.2.1)', 'Content-Type: message/rfc822\r\nContent-Transfer-Encoding: base64\r\n\r\nU3ViamVjdDogeA==',
      leaf('application/octet-stream', 'Content-Type: message/rfc822\r\nContent-Transfer-Encoding: base64\r\n\r\n', 'U3ViamVjdDogeA==', 0)],
  ];
  it.each(cases)('%s', (_name, input, expected) => {
    expect(parse(input, true)).toEqual(expected);
  });
});

const MP = 'Content-Type: multipart/mixed; boundary="b"\r\n\r\n';

describe('parseStructure: multipart offsets (RFC 2046 §5.1.1)', () => {
  it('preamble, two parts, close delimiter, epilogue', () => {
    const body = 'preamble\r\n--b\r\nContent-Type: text/plain\r\n\r\none\r\n--b\r\n\r\ntwo\r\n\r\n--b--\r\nepilogue\r\n';
    expect(parse(MP + body, true)).toEqual({
      type: 'multipart/mixed', header: MP, body, lines: 11,
      children: [
        leaf('text/plain', 'Content-Type: text/plain\r\n\r\n', 'one', 0),
        leaf('text/plain', '\r\n', 'two\r\n', 1),
      ],
    });
  });
  it('unterminated multipart: the last part runs to the end', () => {
    expect(parse(MP + '--b\r\n\r\nlast part\r\n').children).toEqual([leaf('text/plain', '\r\n', 'last part\r\n')]);
  });
  it('close delimiter at the end without a newline', () => {
    expect(parse(MP + '--b\r\n\r\nx\r\n--b--').children).toEqual([leaf('text/plain', '\r\n', 'x')]);
  });
  it('boundary never used: an empty multipart', () => {
    expect(parse(MP + 'no parts here\r\n')).toEqual({ type: 'multipart/mixed', header: MP, body: 'no parts here\r\n', children: [] });
  });
  it('an empty nested multipart (corpus empty-multipart.txt)', () => {
    const inner = 'Content-Type: multipart/alternative; boundary=inner\r\n\r\n';
    const s = parse(MP + '--b\r\n' + inner + '\r\n--b\r\nContent-Type: text/plain\r\n\r\nx\r\n--b--\r\n');
    expect(s.children).toEqual([
      { type: 'multipart/alternative', header: inner, body: '', children: [] },
      leaf('text/plain', 'Content-Type: text/plain\r\n\r\n', 'x'),
    ]);
  });
  it('a delimiter right after the blank line takes that line break; the header keeps its fields', () => {
    expect(parse(MP + '--b\r\nContent-Type: image/gif\r\n\r\n--b--').children)
      .toEqual([leaf('image/gif', 'Content-Type: image/gif\r\n', '')]);
  });
  it('a header cut short by a delimiter ends before the delimiter line break', () => {
    expect(parse(MP + '--b\r\nContent-Type: text/html\r\n--b--').children)
      .toEqual([leaf('text/html', 'Content-Type: text/html', '')]);
  });
  it('consecutive delimiters give an empty part', () => {
    expect(parse(MP + '--b\r\n--b\r\nContent-Type: text/html\r\n\r\nh\r\n--b--').children).toEqual([
      leaf('text/plain', '', ''),
      leaf('text/html', 'Content-Type: text/html\r\n\r\n', 'h'),
    ]);
  });
  it('transport padding after delimiters; boundary compared as a prefix', () => {
    expect(parse(MP + '--b \t\r\n\r\none\r\n--b-trailing-garbage\r\n\r\ntwo\r\n--b-- \r\n').children).toEqual([
      leaf('text/plain', '\r\n', 'one'),
      leaf('text/plain', '\r\n', 'two'),
    ]);
  });
  it('in a body part, a line that is not a header field starts the body (corpus issue1189.mbox.txt)', () => {
    expect(parse(MP + '--b\r\nContent-Type: application/zip\r\nN3q8ryccAAQF\r\n\r\n--b--', true).children)
      .toEqual([leaf('application/zip', 'Content-Type: application/zip\r\n', 'N3q8ryccAAQF\r\n', 1)]);
    expect(parse(MP + '--b\r\nHello there\r\n--b--', true).children).toEqual([leaf('text/plain', '', 'Hello there', 0)]);
  });
  it('lines that only start with "-" or "--" are body text', () => {
    expect(parse(MP + '--b\r\n\r\n-- \r\n--c\r\n-b\r\n--b--').children).toEqual([leaf('text/plain', '\r\n', '-- \r\n--c\r\n-b')]);
  });
});

describe('parseStructure: nesting', () => {
  it('inner close delimiter followed by an outer delimiter: the CRLF is the outer one', () => {
    const inner = 'Content-Type: multipart/alternative; boundary=i\r\n\r\n';
    const s = parse(MP + '--b\r\n' + inner + '--i\r\n\r\na\r\n--i--\r\n--b--\r\n');
    expect(s.children).toEqual([
      { type: 'multipart/alternative', header: inner, body: '--i\r\n\r\na\r\n--i--', children: [leaf('text/plain', '\r\n', 'a')] },
    ]);
  });
  it('an outer delimiter ends an unterminated inner multipart', () => {
    const inner = 'Content-Type: multipart/alternative; boundary=i\r\n\r\n';
    const s = parse(MP + '--b\r\n' + inner + '--i\r\n\r\na\r\n--b\r\n\r\nb\r\n--b--');
    expect(s.children).toEqual([
      { type: 'multipart/alternative', header: inner, body: '--i\r\n\r\na', children: [leaf('text/plain', '\r\n', 'a')] },
      leaf('text/plain', '\r\n', 'b'),
    ]);
  });
  it('the same boundary nested: the innermost multipart takes it', () => {
    const s = parse(MP + '--b\r\n' + MP + '--b\r\n\r\nx\r\n');
    expect(s.children).toEqual([{ type: 'multipart/mixed', header: MP, body: '--b\r\n\r\nx\r\n', children: [leaf('text/plain', '\r\n', 'x\r\n')] }]);
  });
  it('the longest matching boundary wins', () => {
    const outerA = 'Content-Type: multipart/mixed; boundary="a"\r\n\r\n';
    const innerAb = 'Content-Type: multipart/mixed; boundary="ab"\r\n\r\n';
    expect(parse(outerA + '--a\r\n' + innerAb + '--ab\r\n\r\nx\r\n').children?.[0]?.children).toEqual([leaf('text/plain', '\r\n', 'x\r\n')]);
    const outerAb = 'Content-Type: multipart/mixed; boundary="ab"\r\n\r\n';
    const innerA = 'Content-Type: multipart/mixed; boundary="a"\r\n\r\n';
    const s = parse(outerAb + '--ab\r\n' + innerA + '--a\r\n\r\nx\r\n--ab\r\n\r\ny\r\n');
    expect(s.children?.map((c) => c.type)).toEqual(['multipart/mixed', 'text/plain']);
    expect(s.children?.[1]?.body).toBe('y\r\n');
  });
  it('message/rfc822: the encapsulated message is the body', () => {
    const s = parse(MP + '--b\r\nContent-Type: message/rfc822\r\n\r\nSubject: inner\r\nContent-Type: text/plain\r\n\r\ninner body\r\n--b--\r\n', true);
    expect(s.children).toEqual([{
      type: 'message/rfc822', header: 'Content-Type: message/rfc822\r\n\r\n',
      body: 'Subject: inner\r\nContent-Type: text/plain\r\n\r\ninner body', lines: 3,
      message: leaf('text/plain', 'Subject: inner\r\nContent-Type: text/plain\r\n\r\n', 'inner body', 0),
    }]);
  });
  it('multipart/digest parts default to message/rfc822 (RFC 2046 §5.1.5)', () => {
    const s = parse('Content-Type: multipart/digest; boundary=d\r\n\r\n--d\r\n\r\nSubject: m1\r\n\r\nbody1\r\n--d\r\nContent-Type: text/plain\r\n\r\nexplicit\r\n--d--');
    expect(s.children).toEqual([
      { type: 'message/rfc822', header: '\r\n', body: 'Subject: m1\r\n\r\nbody1', message: leaf('text/plain', 'Subject: m1\r\n\r\n', 'body1') },
      leaf('text/plain', 'Content-Type: text/plain\r\n\r\n', 'explicit'),
    ]);
  });
  it('an empty boundary (invalid) matches only a whole "--" line (corpus simple.mbox.txt)', () => {
    const ct = 'Content-Type: multipart/mixed; boundary=""\r\n\r\n';
    const s = parse(ct + '--\r\n' + ct + '--\r\n\r\n--x\r\n---\r\nsig\r\n');
    expect(s.children?.[0]?.children).toEqual([leaf('text/plain', '\r\n', '--x\r\n---\r\nsig\r\n')]);
  });
  it('same offsets with bare LF line endings', () => {
    const crlf = MP + 'pre\r\n--b\r\nContent-Type: message/rfc822\r\n\r\nSubject: x\r\n\r\ny\r\n\r\n--b\r\n\r\nz\r\n--b--\r\n';
    const lf = crlf.replace(/\r\n/g, '\n');
    const strip = (s: Shape): Shape => JSON.parse(JSON.stringify(s).replace(/\\r/g, '')) as Shape;
    expect(parse(lf, true)).toEqual(strip(parse(crlf, true)));
  });
});

describe('parseStructure: limits and hostile input', () => {
  it('deep multipart nesting stops at LIMITS.mime.depth without recursion', () => {
    let text = '';
    for (let i = 0; i < 20000; i++) text += `Content-Type: multipart/mixed; boundary="b${i}"\r\n\r\n--b${i}\r\n`;
    const root = parseStructure(Buffer.from(text + '\r\ndeep\r\n')).root;
    let depth = 0;
    let p: MimePart | undefined = root;
    while (p?.children !== undefined) {
      p = p.children[0];
      depth++;
    }
    expect(depth).toBe(LIMITS.mime.depth);
    expect(p?.type).toBe('application');
  });
  it('deep message/rfc822 nesting stops at LIMITS.mime.depth', () => {
    const raw = Buffer.from('Content-Type: message/rfc822\r\n\r\n'.repeat(20000) + 'x');
    let depth = 0;
    let p: MimePart | undefined = parseStructure(raw).root;
    while (p?.message !== undefined) {
      p = p.message.root;
      depth++;
    }
    expect(depth).toBe(LIMITS.mime.depth);
    expect(p?.bodyEnd).toBe(raw.length);
  });
  it('stops starting new parts at LIMITS.mime.parts', () => {
    const n = LIMITS.mime.parts + 50;
    const raw = Buffer.from(MP + '--b\r\n\r\nx\r\n'.repeat(n) + '--b--\r\n');
    const root = parseStructure(raw).root;
    expect(root.children).toHaveLength(LIMITS.mime.parts - 1);
    const last = root.children?.[root.children.length - 1];
    // The root is part 1, so children 1..parts-1 exist; later delimiters stay in the last child.
    const rest = n - (LIMITS.mime.parts - 1);
    expect(raw.toString('latin1', last?.bodyStart, last?.bodyEnd)).toBe('x\r\n--b\r\n\r\n'.repeat(rest) + 'x');
  });
  it('skips a UTF-8 byte order mark before the first field name', () => {
    const { fields } = parseStructure(Buffer.from('\ufeffFrom: a@b.test\r\n\r\nx', 'utf8'));
    expect(fields.get('from')).toBe(' a@b.test');
  });
});
