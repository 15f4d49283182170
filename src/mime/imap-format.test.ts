import { describe, expect, it } from 'vitest';
import type { Envelope } from './types.js';
import { parseMessage } from './parse.js';
import { imapBodyStructure } from './imap-bodystructure.js';
import { imapEnvelope } from './imap-envelope.js';

const msg = (text: string): Buffer => Buffer.from(text.replace(/\r?\n/g, '\r\n'), 'utf8');
const bs = (text: string, extended = true, utf8 = false): string => imapBodyStructure(parseMessage(msg(text)).root, extended, utf8);

// The message behind RFC 3501 §7.4.2's BODYSTRUCTURE example (sizes and line counts made to fit).
const RFC3501 = `MIME-Version: 1.0
Content-Type: MULTIPART/MIXED; BOUNDARY="x"

--x
Content-Type: TEXT/PLAIN; CHARSET=US-ASCII

${'line of twenty bytes\n'.repeat(3)}
--x
Content-Type: TEXT/PLAIN; CHARSET=US-ASCII; NAME=cc.diff
Content-ID: <960723163407.20117h@cac.washington.edu>
Content-Description: Compiler diff
Content-Transfer-Encoding: BASE64

AAAA
--x--
`;

describe('imapBodyStructure (RFC 9051 §7.5.2)', () => {
  it('the RFC 3501 §7.4.2 example shape, BODY and BODYSTRUCTURE', () => {
    expect(bs(RFC3501, false)).toBe(
      '(("text" "plain" ("charset" "US-ASCII") NIL NIL "7bit" 66 3)' +
      '("text" "plain" ("charset" "US-ASCII" "name" "cc.diff") "<960723163407.20117h@cac.washington.edu>" "Compiler diff" "base64" 4 0)' +
      ' "mixed")');
    expect(bs(RFC3501)).toBe(
      '(("text" "plain" ("charset" "US-ASCII") NIL NIL "7bit" 66 3 NIL NIL NIL NIL)' +
      '("text" "plain" ("charset" "US-ASCII" "name" "cc.diff") "<960723163407.20117h@cac.washington.edu>" "Compiler diff" "base64" 4 0 NIL NIL NIL NIL)' +
      ' "mixed" ("boundary" "x") NIL NIL NIL)');
  });

  it('a single part: text has lines and a default charset, other types neither', () => {
    expect(bs('Subject: x\n\nhello\n')).toBe('("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 7 1 NIL NIL NIL NIL)');
    expect(bs('Content-Type: image/png\nContent-Transfer-Encoding: base64\n\niVBO\n'))
      .toBe('("image" "png" NIL NIL NIL "base64" 6 NIL NIL NIL NIL)');
  });

  it('extension data: md5, disposition with and without params, language list, location', () => {
    const text = `Content-Type: application/pdf; name=a.pdf
Content-MD5: Q2hlY2sgSW50ZWdyaXR5IQ==
Content-Disposition: attachment; filename="a.pdf"; size=3
Content-Language: en, de
Content-Location: http://example.com/a.pdf

abc`;
    expect(bs(text)).toBe('("application" "pdf" ("name" "a.pdf") NIL NIL "7bit" 3 "Q2hlY2sgSW50ZWdyaXR5IQ==" ' +
      '("attachment" ("filename" "a.pdf" "size" "3")) ("en" "de") "http://example.com/a.pdf")');
    expect(bs('Content-Type: message/delivery-status\nContent-Disposition: inline\n\nx'))
      .toBe('("message" "delivery-status" NIL NIL NIL "7bit" 1 NIL ("inline" NIL) NIL NIL)');
  });

  it('message/rfc822: envelope, body and lines of the encapsulated message', () => {
    const text = `Content-Type: multipart/mixed; boundary=b

--b
Content-Type: message/rfc822
Content-Description: Forwarded

From: a@b.test
Subject: inner

body
--b--
`;
    const env = '(NIL "inner" ((NIL NIL "a" "b.test")) ((NIL NIL "a" "b.test")) ((NIL NIL "a" "b.test")) NIL NIL NIL NIL NIL)';
    expect(bs(text)).toBe(`(("message" "rfc822" NIL NIL "Forwarded" "7bit" 38 ${env} ` +
      '("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 4 0 NIL NIL NIL NIL) 3 NIL NIL NIL NIL) "mixed" ("boundary" "b") NIL NIL NIL)');
    expect(bs(text, false)).toBe(`(("message" "rfc822" NIL NIL "Forwarded" "7bit" 38 ${env} ` +
      '("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 4 0) 3) "mixed")');
  });

  it('an empty multipart gets one zero-length text/plain child (body-type-mpart needs 1*body)', () => {
    const text = 'Content-Type: multipart/mixed; boundary=b\n\nno parts\n';
    expect(bs(text)).toBe('(("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0 NIL NIL NIL NIL) "mixed" ("boundary" "b") NIL NIL NIL)');
    expect(bs(text, false)).toBe('(("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0) "mixed")');
  });

  it('opaque parts are application/octet-stream', () => {
    expect(bs('Content-Type: multipart/mixed\n\nx')).toBe('("application" "octet-stream" NIL NIL NIL "7bit" 1 NIL NIL NIL NIL)');
  });

  it('8-bit strings are literals unless UTF8=ACCEPT', () => {
    const text = 'Content-Type: text/plain; name="café.txt"\n\nx';
    expect(bs(text)).toBe('("text" "plain" ("name" {6}\r\ncafé.txt "charset" "us-ascii") NIL NIL "7bit" 1 0 NIL NIL NIL NIL)'.replace('{6}', '{9}'));
    expect(bs(text, true, true)).toBe('("text" "plain" ("name" "café.txt" "charset" "us-ascii") NIL NIL "7bit" 1 0 NIL NIL NIL NIL)');
  });
});

describe('imapEnvelope (RFC 9051 §7.5.2)', () => {
  const empty: Envelope = {
    date: null, subject: null, from: null, sender: null, replyTo: null, to: null, cc: null, bcc: null, inReplyTo: null, messageId: null,
  };
  it('all NIL for an empty envelope', () => {
    expect(imapEnvelope(empty)).toBe('(NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL)');
  });
  it('Sender and Reply-To default to From', () => {
    const from = [{ name: 'A', adl: null, mailbox: 'a', host: 'x.test' }];
    expect(imapEnvelope({ ...empty, from })).toBe('(NIL NIL (("A" NIL "a" "x.test")) (("A" NIL "a" "x.test")) (("A" NIL "a" "x.test")) NIL NIL NIL NIL NIL)');
    const sender = [{ name: null, adl: null, mailbox: 's', host: 'x.test' }];
    expect(imapEnvelope({ ...empty, from, sender, replyTo: [] })).toBe(
      '(NIL NIL (("A" NIL "a" "x.test")) ((NIL NIL "s" "x.test")) (("A" NIL "a" "x.test")) NIL NIL NIL NIL NIL)');
  });
  it('from a parsed message: groups, quoting, raw encoded words', () => {
    const m = parseMessage(msg(`Date: Fri, 21 Nov 1997 09:55:06 -0600
From: "Joe \\"Q\\" Public" <john@example.com>
To: A Group:Ed Jones <c@a.test>;, =?utf-8?Q?J=C3=B8rn?= <j@x.test>
Subject: =?utf-8?Q?caf=C3=A9?=
In-Reply-To: <1@x.test>
Message-ID: <2@x.test>

x`));
    expect(imapEnvelope(m.envelope)).toBe('("Fri, 21 Nov 1997 09:55:06 -0600" "=?utf-8?Q?caf=C3=A9?=" ' +
      '(("Joe \\"Q\\" Public" NIL "john" "example.com")) (("Joe \\"Q\\" Public" NIL "john" "example.com")) ' +
      '(("Joe \\"Q\\" Public" NIL "john" "example.com")) ' +
      '((NIL NIL "A Group" NIL)("Ed Jones" NIL "c" "a.test")(NIL NIL NIL NIL)("=?utf-8?Q?J=C3=B8rn?=" NIL "j" "x.test")) ' +
      'NIL NIL "<1@x.test>" "<2@x.test>")');
  });
  it('8-bit header text is a literal, or quoted with UTF8=ACCEPT', () => {
    const m = parseMessage(msg('Subject: Grüße\n\nx'));
    expect(imapEnvelope(m.envelope)).toBe('(NIL {7}\r\nGrüße NIL NIL NIL NIL NIL NIL NIL NIL)');
    expect(imapEnvelope(m.envelope, true)).toBe('(NIL "Grüße" NIL NIL NIL NIL NIL NIL NIL NIL)');
  });
});
