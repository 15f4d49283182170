/**
 * Messages for the SEARCH / SORT / THREAD end-to-end tests, each built to exercise particular keys:
 * encoded words, display names, a references chain, multipart with base64 and quoted-printable
 * bodies, a message without a Date: header, flags, keywords and chosen INTERNALDATEs.
 */
import type { MailStore } from '../../src/store/store.js';
import { FLAG_BITS } from '../../src/store/types.js';

export interface TestMessage {
  raw: Buffer;
  flags?: number;
  keywords?: string[];
  internalDate?: number;
}

const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');
const crlf = (lines: string[]): Buffer => Buffer.from(lines.join('\r\n'), 'utf8');

/** The SEARCH mailbox: UIDs 1..7 in this order (see the key table in imap-search.test.ts). */
export function searchMessages(): TestMessage[] {
  return [
    {
      raw: crlf([
        'From: "Alice Smith" <alice@example.com>', 'To: Bob <bob@example.org>', 'Cc: Carol <carol@example.net>',
        'Bcc: dave@example.com', 'Subject: Project kickoff', 'Date: Mon, 7 Feb 1994 21:52:25 -0800',
        'Message-ID: <kickoff@example.com>', 'X-Priority: 1', 'MIME-Version: 1.0', 'Content-Type: text/plain; charset=us-ascii',
        '', 'Let us start the project on Monday.', '',
      ]),
      flags: FLAG_BITS['\\Seen'], keywords: ['$Important'], internalDate: Date.UTC(2024, 0, 10, 10),
    },
    {
      raw: crlf([
        'From: Bob Jones <bob@example.org>', 'To: alice@example.com', 'Subject: Re: Project kickoff',
        'Date: Thu, 11 Jan 2024 09:00:00 +0000', 'Message-ID: <m2@example.org>', 'In-Reply-To: <kickoff@example.com>',
        'References: <kickoff@example.com>', 'MIME-Version: 1.0', 'Content-Type: multipart/alternative; boundary="b1"', '',
        '--b1', 'Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: base64', '',
        b64('Zebra crossing at the ünïcödé corner.\r\n'), '--b1', 'Content-Type: text/html; charset=utf-8',
        'Content-Transfer-Encoding: base64', '', b64('<p>Zebra crossing</p>\r\n'), '--b1--', '',
      ]),
      flags: FLAG_BITS['\\Answered'], internalDate: Date.UTC(2024, 0, 11, 0, 0, 0),
    },
    {
      raw: crlf([
        'From: =?utf-8?q?J=C3=BCrgen_M=C3=BCller?= <juergen@example.de>', 'To: Carol <carol@example.net>',
        `Subject: Fwd: [list] =?UTF-8?B?${b64('Budget über')}?=`, 'Message-ID: <m3@example.de>', 'MIME-Version: 1.0',
        'Content-Type: text/plain; charset=us-ascii', '', ...Array.from({ length: 40 }, (_, i) => `Line ${i} of the forwarded budget, lorem ipsum dolor sit amet.`), '',
      ]),
      flags: FLAG_BITS['\\Flagged'] | FLAG_BITS['\\Deleted'], internalDate: Date.UTC(2024, 1, 1, 12),
    },
    {
      raw: crlf([
        'From: Carol <carol@example.net>', 'To: alice@example.com, bob@example.org', 'Subject: Re: Project kickoff',
        'Date: Fri, 12 Jan 2024 01:00:00 +0100', 'Message-ID: <m4@example.net>', 'In-Reply-To: <m2@example.org>',
        'References: <kickoff@example.com> <m2@example.org>', '', 'Sounds good.', '',
      ]),
      flags: FLAG_BITS['\\Draft'], internalDate: Date.UTC(2024, 0, 11, 23, 59, 59),
    },
    {
      raw: crlf([
        'From: Dave <dave@example.com>', 'To: alice@example.com', 'Subject: Lunch?', 'Date: Fri, 1 Mar 2024 10:00:00 +0000',
        'Message-ID: <m5@example.com>', 'MIME-Version: 1.0', 'Content-Type: text/plain; charset=utf-8',
        'Content-Transfer-Encoding: quoted-printable', '', 'Meet at the caf=C3=A9 at noon.', '',
      ]),
      internalDate: Date.UTC(2024, 2, 1, 23, 30),
    },
    {
      raw: crlf([
        'From: Eve <eve@example.com>', 'To: alice@example.com', 'Subject: Budget', 'Date: Fri, 5 Jan 2024 10:00:00 +0000',
        'Message-ID: <m6@example.com>', '', 'Numbers attached.', '',
      ]),
      internalDate: Date.UTC(2024, 0, 5, 8),
    },
    {
      raw: crlf(['From: Frank <frank@example.com>', 'To: alice@example.com', 'Subject: Fresh', 'Message-ID: <m7@example.com>', '', 'Just now.', '']),
    },
  ];
}

export interface SortSpec {
  from: string;
  to: string;
  cc?: string;
  subject: string;
  /** Date: header, or null for none. */
  date: string | null;
  internalDate: number;
  pad?: number;
}

/** A message for SORT: the fields it compares, and padding to set RFC822.SIZE. */
export function sortMessage(s: SortSpec): TestMessage {
  const lines = [`From: ${s.from}`, `To: ${s.to}`];
  if (s.cc !== undefined) lines.push(`Cc: ${s.cc}`);
  lines.push(`Subject: ${s.subject}`);
  if (s.date !== null) lines.push(`Date: ${s.date}`);
  lines.push('', 'x'.repeat(s.pad ?? 0), '');
  return { raw: crlf(lines), internalDate: s.internalDate };
}

export interface ThreadSpec {
  id?: string;
  refs?: string;
  irt?: string;
  subject: string;
  date: string;
}

export function threadMessage(s: ThreadSpec): TestMessage {
  const lines = ['From: t@example.com', `Subject: ${s.subject}`, `Date: ${s.date}`];
  if (s.id !== undefined) lines.push(`Message-ID: <${s.id}>`);
  if (s.irt !== undefined) lines.push(`In-Reply-To: ${s.irt}`);
  if (s.refs !== undefined) lines.push(`References: ${s.refs}`);
  lines.push('', 'body', '');
  return { raw: crlf(lines), internalDate: Date.UTC(2024, 0, 1) };
}

/** Appends to (creating) a mailbox of the account through the store; returns the UIDs. */
export async function fill(store: MailStore, address: string, mailbox: string, messages: readonly TestMessage[]): Promise<number[]> {
  const account = await store.getAccountByAddress(address);
  if (account === null) throw new Error(`no account ${address}`);
  const mb = (await store.findMailbox(account.id, mailbox)) ?? (await store.createMailbox(account.id, mailbox));
  const r = await store.append(account.id, mb.id, messages.map((m) => ({
    raw: m.raw, flags: m.flags ?? 0, keywords: m.keywords ?? [],
    ...(m.internalDate !== undefined ? { internalDate: m.internalDate } : {}),
  })));
  return r.uids;
}
