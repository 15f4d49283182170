import { describe, expect, it } from 'vitest';
import { messageIds, parseMessage, parseMessageStrict } from './parse.js';
import { imapBodyStructure } from './imap-bodystructure.js';
import { imapEnvelope } from './imap-envelope.js';
import { searchableText } from './text.js';

const msg = (text: string): Buffer => Buffer.from(text.replace(/\r?\n/g, '\r\n'), 'utf8');

describe('parseMessage: message-level fields', () => {
  const m = parseMessage(msg(`From: =?ISO-8859-1?Q?Andr=E9?= Pirard <pirard@vm1.ulg.ac.be>
To: A Group:Ed Jones <c@a.test>;, joe@where.test
Cc: "Smith, J" <js@x.test>
Reply-To: r@x.test
Subject: Re: [list] =?utf-8?Q?caf=C3=A9?=
 (fwd)
Date: Thu, 13 Feb 1969 23:32:54 -0330
Message-ID: <id1@x.test>
In-Reply-To: <id0@x.test> (comment)
References: <a@x.test>
 <b@x.test> <c@x.test>

Body text
`));
  it('decodes subject and computes the base subject', () => {
    expect(m.subject).toBe('Re: [list] café (fwd)');
    expect(m.baseSubject).toBe('café');
  });
  it('decodes address lists, flattening groups', () => {
    expect(m.from).toEqual([{ name: 'André Pirard', address: 'pirard@vm1.ulg.ac.be' }]);
    expect(m.to).toEqual([{ name: 'Ed Jones', address: 'c@a.test' }, { name: '', address: 'joe@where.test' }]);
    expect(m.cc).toEqual([{ name: 'Smith, J', address: 'js@x.test' }]);
    expect(m.replyTo).toEqual([{ name: '', address: 'r@x.test' }]);
    expect(m.sender).toEqual([]);
    expect(m.bcc).toEqual([]);
  });
  it('parses date and message ids', () => {
    expect(m.date).toBe(Date.UTC(1969, 1, 14, 3, 2, 54));
    expect(m.messageId).toBe('id1@x.test');
    expect(m.inReplyTo).toEqual(['id0@x.test']);
    expect(m.references).toEqual(['a@x.test', 'b@x.test', 'c@x.test']);
  });
  it('keeps the envelope raw and reports the header size', () => {
    expect(m.envelope.subject).toBe('Re: [list] =?utf-8?Q?caf=C3=A9?= (fwd)');
    expect(m.envelope.sender).toBeNull();
    expect(m.headerSize).toBe(m.root.bodyStart);
    expect(m.preview).toBe('Body text');
    expect(m.hasAttachment).toBe(false);
  });
  it('absent fields are empty', () => {
    const e = parseMessage(Buffer.from('\r\nx'));
    expect([e.subject, e.baseSubject, e.date, e.messageId, e.from, e.inReplyTo]).toEqual(['', '', null, null, [], []]);
    expect(imapEnvelope(e.envelope)).toBe('(NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL)');
  });
});

describe('header values', () => {
  it('never carry NUL into the envelope', () => {
    const m = parseMessage(Buffer.from('Subject: a\0b\r\nFrom: x\0y@z.test\r\n\r\n'));
    expect(m.envelope.subject).toBe('ab');
    expect(imapEnvelope(m.envelope)).toBe('(NIL "ab" ((NIL NIL "xy" "z.test")) ((NIL NIL "xy" "z.test")) ((NIL NIL "xy" "z.test")) NIL NIL NIL NIL NIL)');
  });
});

describe('messageIds', () => {
  it('extracts bracketed ids, or one bare id', () => {
    expect(messageIds('<a@b> <c@d>')).toEqual(['a@b', 'c@d']);
    expect(messageIds('<9209252113.AA00975@ ebony >')).toEqual(['9209252113.AA00975@ebony']);
    expect(messageIds('8787KJKJ3K4J3K4J3K4J3.mail@example.net')).toEqual(['8787KJKJ3K4J3K4J3K4J3.mail@example.net']);
    expect(messageIds('no id here')).toEqual([]);
    expect(messageIds(null)).toEqual([]);
  });
});

describe('parseMessage: previews (RFC 8970) and attachments', () => {
  const alt = `Content-Type: multipart/mixed; boundary=m

--m
Content-Type: multipart/alternative; boundary=a

--a
Content-Type: text/html; charset=utf-8
Content-Transfer-Encoding: quoted-printable

<html><head><title>t</title></head><body><p>Hello   <b>HTML</b></p></body></html>
--a
Content-Type: text/plain; charset=iso-8859-1
Content-Transfer-Encoding: quoted-printable

Caf=E9 au lait,
  plain version.
--a--
--m
Content-Type: application/pdf
Content-Disposition: attachment; filename="doc.pdf"
Content-Transfer-Encoding: base64

JVBERi0=
--m--
`;
  it('prefers text/plain in an alternative, decodes transfer encoding and charset, collapses whitespace', () => {
    const m = parseMessage(msg(alt));
    expect(m.preview).toBe('Café au lait, plain version.');
    expect(m.hasAttachment).toBe(true);
  });
  it('falls back to HTML reduced to text', () => {
    const m = parseMessage(msg('Content-Type: text/html\n\n<div>Only&nbsp;<i>html</i></div><script>evil()</script>'));
    expect(m.preview).toBe('Only html'); // no-break space is whitespace too
  });
  it('cuts at LIMITS.mime.previewChars characters', () => {
    const m = parseMessage(msg('Content-Type: text/plain; charset=utf-8\n\n' + '€'.repeat(500)));
    expect(m.preview).toBe('€'.repeat(200));
  });
  it('looks into attached messages only when there is no text of its own', () => {
    const fwd = `Content-Type: multipart/mixed; boundary=m

--m
Content-Type: message/rfc822

Subject: inner

inner text
--m--
`;
    expect(parseMessage(msg(fwd)).preview).toBe('inner text');
    const withNote = fwd.replace('--m\n', '--m\n\nmy note\n--m\n');
    expect(parseMessage(msg(withNote)).preview).toBe('my note');
  });
  it('counts a non-text part with a file name as an attachment, inline text not', () => {
    expect(parseMessage(msg('Content-Type: image/png; name="a.png"\n\nx')).hasAttachment).toBe(true);
    expect(parseMessage(msg('Content-Type: image/png\n\nx')).hasAttachment).toBe(false);
    expect(parseMessage(msg('Content-Type: text/plain; name="a.txt"\n\nx')).hasAttachment).toBe(false);
    expect(parseMessage(msg('Content-Disposition: attachment\n\nx')).hasAttachment).toBe(true);
  });
  it('searchableText joins every text part, HTML reduced to text', () => {
    const raw = msg(alt);
    const text = searchableText(raw, parseMessage(raw).root);
    expect(text).toContain('Hello   HTML');
    expect(text).toContain('Café au lait,\r\n  plain version.');
    expect(text).not.toContain('JVBERi0');
    expect(text).not.toContain('<b>');
  });
});

describe('parseMessage never throws', () => {
  // A small deterministic PRNG so failures reproduce.
  let seed = 12345;
  const rand = (n: number): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  const alphabet = Buffer.from('\r\n\r\n--b-:;="<>@,()\\ \tabcXYZ=?Q?B?=\x00\xff\xc3');
  it('on random bytes and on random MIME-ish text', () => {
    for (let i = 0; i < 500; i++) {
      const len = rand(2000);
      const bytes = Buffer.alloc(len);
      for (let k = 0; k < len; k++) bytes[k] = i % 2 === 0 ? rand(256) : (alphabet[rand(alphabet.length)] as number);
      const head = i % 3 === 0 ? 'Content-Type: multipart/mixed; boundary=b\r\n\r\n' : '';
      const raw = Buffer.concat([Buffer.from(head), bytes]);
      const m = parseMessageStrict(raw);
      expect(m.root.bodyEnd).toBeLessThanOrEqual(raw.length);
      imapBodyStructure(m.root, true);
      imapEnvelope(m.envelope);
      searchableText(raw, m.root);
    }
  });
});
