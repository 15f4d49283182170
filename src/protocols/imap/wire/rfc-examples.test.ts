/**
 * Every client command example of RFC 9051 §6 and of the extension RFCs we implement, parsed
 * into typed commands. Lines the RFCs wrap "for editorial clarity" are joined.
 */
import { describe, expect, it } from 'vitest';
import { parseSequenceSet, type SequenceSet } from './sequence-set.js';
import { parseOne } from './test-support.js';

const CRLF = '\r\n';
const seq = (t: string): SequenceSet => parseSequenceSet(t)!;

/** RFC 9051 §6.3.12 example message (326 octets with CRLF line ends). */
const RFC9051_APPEND_MSG = [
  'Date: Mon, 7 Feb 1994 21:52:25 -0800 (PST)',
  'From: Fred Foobar <foobar@Blurdybloop.example>',
  'Subject: afternoon meeting',
  'To: mooch@owatagu.siam.edu.example',
  'Message-Id: <B27397-0100000@Blurdybloop.example>',
  'MIME-Version: 1.0',
  'Content-Type: TEXT/PLAIN; CHARSET=US-ASCII',
  '',
  'Hello Joe, do you think we can meet at 3:30 tomorrow?',
  '',
].join(CRLF);

const REPLACE_MSG = [
  'Date: Thu, 1 Jan 2015 00:05:00 -0500 (EST)',
  'From: Fritz Schmidt <fritz.ze@example.org>',
  'Subject: happy new year !!',
  'To: miss.mitzy@example.org',
  'Message-Id: <B238822388-0100000@example.org>',
  'MIME-Version: 1.0',
  'Content-Type: TEXT/PLAIN; CHARSET=US-ASCII',
  '',
  'Just saw the best fireworks show. Wish you were here.',
  '',
].join(CRLF);

function lit(s: string, plus = false): string {
  return `{${Buffer.byteLength(s)}${plus ? '+' : ''}}${CRLF}${s}`;
}

type Row = readonly [string, Record<string, unknown>];

/** [command text, expected fields] — checked with toMatchObject. */
const RFC9051: readonly Row[] = [
  ['abcd CAPABILITY', { tag: 'abcd', kind: 'CAPABILITY' }],
  ['efgh STARTTLS', { tag: 'efgh', kind: 'STARTTLS' }],
  ['a002 NOOP', { kind: 'NOOP' }],
  ['A023 LOGOUT', { kind: 'LOGOUT' }],
  ['a004 AUTHENTICATE PLAIN dGVzdAB0ZXN0AHRlc3Q=', { kind: 'AUTHENTICATE', mechanism: 'PLAIN', initialResponse: Buffer.from('test\0test\0test') }],
  ['A001 AUTHENTICATE GSSAPI', { kind: 'AUTHENTICATE', mechanism: 'GSSAPI', initialResponse: null }],
  ['A01 AUTHENTICATE EXTERNAL =', { kind: 'AUTHENTICATE', mechanism: 'EXTERNAL', initialResponse: Buffer.alloc(0) }],
  ['a001 LOGIN SMITH SESAME', { kind: 'LOGIN', username: 'SMITH', password: 'SESAME' }],
  ['t2 ENABLE CONDSTORE X-GOOD-IDEA', { kind: 'ENABLE', capabilities: ['CONDSTORE', 'X-GOOD-IDEA'] }],
  ['A142 SELECT INBOX', { kind: 'SELECT', mailbox: 'INBOX', condstore: false, qresync: null }],
  ['A143 SELECT Drafts', { kind: 'SELECT', mailbox: 'Drafts' }],
  ['A932 EXAMINE blurdybloop', { kind: 'EXAMINE', mailbox: 'blurdybloop' }],
  ['A003 CREATE owatagusiam/', { kind: 'CREATE', mailbox: 'owatagusiam/', specialUse: [] }],
  ['A004 CREATE owatagusiam/blurdybloop', { kind: 'CREATE', mailbox: 'owatagusiam/blurdybloop' }],
  ['A005 CREATE NonNormalized', { kind: 'CREATE', mailbox: 'NonNormalized' }],
  ['A683 DELETE blurdybloop', { kind: 'DELETE', mailbox: 'blurdybloop' }],
  ['A685 DELETE foo/bar', { kind: 'DELETE', mailbox: 'foo/bar' }],
  ['A682 LIST "" *', { kind: 'LIST', reference: '', patterns: ['*'], extended: false }],
  ['A86 LIST "" %', { kind: 'LIST', patterns: ['%'] }],
  ['A683 RENAME blurdybloop sarasoop', { kind: 'RENAME', from: 'blurdybloop', to: 'sarasoop' }],
  ['Z433 RENAME INBOX old-mail', { kind: 'RENAME', from: 'INBOX', to: 'old-mail' }],
  ['1002 SUBSCRIBE Y', { tag: '1002', kind: 'SUBSCRIBE', mailbox: 'Y' }],
  ['A002 SUBSCRIBE #news.comp.mail.mime', { kind: 'SUBSCRIBE', mailbox: '#news.comp.mail.mime' }],
  ['A002 UNSUBSCRIBE #news.comp.mail.mime', { kind: 'UNSUBSCRIBE', mailbox: '#news.comp.mail.mime' }],
  ['A101 LIST "" ""', { kind: 'LIST', reference: '', patterns: [''] }],
  ['A102 LIST #news.comp.mail.misc ""', { kind: 'LIST', reference: '#news.comp.mail.misc', patterns: [''] }],
  ['A103 LIST /usr/staff/jones ""', { kind: 'LIST', reference: '/usr/staff/jones' }],
  ['A202 LIST ~/Mail/ %', { kind: 'LIST', reference: '~/Mail/', patterns: ['%'] }],
  ['A02 LIST (SUBSCRIBED) "" "*"', { kind: 'LIST', extended: true, selection: { subscribed: true, remote: false, recursiveMatch: false, specialUse: false } }],
  ['A03 LIST () "" "%" RETURN (CHILDREN)', { kind: 'LIST', extended: true, returns: { children: true, subscribed: false, specialUse: false, status: null } }],
  ['A04 LIST (REMOTE) "" "%" RETURN (CHILDREN)', { selection: { remote: true }, returns: { children: true } }],
  ['A05 LIST (REMOTE SUBSCRIBED) "" "*"', { selection: { remote: true, subscribed: true } }],
  ['A06 LIST (REMOTE) "" "*" RETURN (SUBSCRIBED)', { selection: { remote: true }, returns: { subscribed: true } }],
  ['C04 LIST (SUBSCRIBED RECURSIVEMATCH) "" "%"', { selection: { subscribed: true, recursiveMatch: true } }],
  ['C04 LIST (SUBSCRIBED RECURSIVEMATCH) "" "%" RETURN (CHILDREN)', { selection: { recursiveMatch: true }, returns: { children: true } }],
  ['D03 LIST (RECURSIVEMATCH SUBSCRIBED) "" "*2"', { patterns: ['*2'], selection: { recursiveMatch: true } }],
  ['D04 LIST (SPECIAL-USE RECURSIVEMATCH) "" "*"', { selection: { specialUse: true, recursiveMatch: true } }],
  ['a1 LIST "" ("foo")', { patterns: ['foo'], extended: true }],
  ['a2 LIST (SUBSCRIBED) "" "foo/*"', { patterns: ['foo/*'] }],
  ['a3 LIST (SUBSCRIBED RECURSIVEMATCH) "" foo RETURN (CHILDREN)', { patterns: ['foo'] }],
  ['a3.1 LIST "" (% music/rock)', { tag: 'a3.1', patterns: ['%', 'music/rock'] }],
  ['A01 LIST "" % RETURN (STATUS (MESSAGES UNSEEN))', { returns: { status: ['MESSAGES', 'UNSEEN'] } }],
  ['A02 LIST (SUBSCRIBED RECURSIVEMATCH) "" % RETURN (STATUS (MESSAGES))', { returns: { status: ['MESSAGES'] } }],
  ['A001 NAMESPACE', { kind: 'NAMESPACE' }],
  ['A002 CREATE "INBOX.Sent Mail"', { kind: 'CREATE', mailbox: 'INBOX.Sent Mail' }],
  ['A002 LIST (SPECIAL-USE) "" "*"', { selection: { specialUse: true } }],
  ['A003 LIST (SPECIAL-USE) "#mh/" "*"', { reference: '#mh/', selection: { specialUse: true } }],
  ['A006 CREATE "#mh/Deleted Items"', { mailbox: '#mh/Deleted Items' }],
  ['A002 LIST "" "Other Users/%"', { patterns: ['Other Users/%'] }],
  ['A003 LIST "" "#Users/Mike/%"', { patterns: ['#Users/Mike/%'] }],
  ['A002 LIST "" "~mark/%"', { patterns: ['~mark/%'] }],
  ['A042 STATUS blurdybloop (UIDNEXT MESSAGES)', { kind: 'STATUS', mailbox: 'blurdybloop', items: ['UIDNEXT', 'MESSAGES'] }],
  [
    `A003 APPEND saved-messages (\\Seen) ${lit(RFC9051_APPEND_MSG)}`,
    { kind: 'APPEND', mailbox: 'saved-messages', messages: [{ flags: ['\\Seen'], internalDate: null, data: Buffer.from(RFC9051_APPEND_MSG), binary: false, utf8: false }] },
  ],
  [`A003 APPEND saved-messages (\\Seen) ${lit(RFC9051_APPEND_MSG, true)}`, { kind: 'APPEND', messages: [{ data: Buffer.from(RFC9051_APPEND_MSG) }] }],
  ['A004 COPY 2:4 meeting', { kind: 'COPY', uid: false, sequence: seq('2:4'), mailbox: 'meeting' }],
  ['A005 UID COPY 305:310 meeting', { kind: 'COPY', uid: true, sequence: seq('305:310') }],
  ['A006 COPY 2 funny', { kind: 'COPY', sequence: seq('2'), mailbox: 'funny' }],
  ['A002 IDLE', { kind: 'IDLE' }],
  ['A003 FETCH 4 ALL', { kind: 'FETCH', macro: 'ALL', items: [{ kind: 'FLAGS' }, { kind: 'INTERNALDATE' }, { kind: 'RFC822.SIZE' }, { kind: 'ENVELOPE' }] }],
  ['A341 CLOSE', { kind: 'CLOSE' }],
  ['A342 UNSELECT', { kind: 'UNSELECT' }],
  ['A202 EXPUNGE', { kind: 'EXPUNGE', uid: false, sequence: null }],
  ['A282 SEARCH RETURN (MIN COUNT) FLAGGED', { kind: 'SEARCH', returnOptions: ['MIN', 'COUNT'], criteria: [{ kind: 'FLAGGED' }] }],
  ['A283 SEARCH RETURN () FLAGGED', { returnOptions: ['ALL'], criteria: [{ kind: 'FLAGGED' }] }],
  ['A284 SEARCH TEXT "string not in mailbox"', { returnOptions: null, charset: null, criteria: [{ kind: 'TEXT', value: 'string not in mailbox' }] }],
  [`A285 SEARCH CHARSET UTF-8 TEXT ${lit('отпуск')}`, { charset: 'UTF-8', criteria: [{ kind: 'TEXT', value: 'отпуск' }] }],
  ['A284 SEARCH RETURN (MIN) UNSEEN', { returnOptions: ['MIN'], criteria: [{ kind: 'UNSEEN' }] }],
  ['A285 UID SEARCH RETURN (MIN MAX) 1:5000', { uid: true, returnOptions: ['MIN', 'MAX'], criteria: [{ kind: 'SEQUENCE', set: seq('1:5000') }] }],
  ['A286 SEARCH RETURN (COUNT) DELETED', { returnOptions: ['COUNT'], criteria: [{ kind: 'DELETED' }] }],
  [
    'A282 SEARCH RETURN (SAVE) FLAGGED SINCE 1-Feb-1994 NOT FROM "Smith"',
    {
      returnOptions: ['SAVE'],
      criteria: [{ kind: 'FLAGGED' }, { kind: 'SINCE', date: { year: 1994, month: 2, day: 1 } }, { kind: 'NOT', key: { kind: 'FROM', value: 'Smith' } }],
    },
  ],
  [
    'A283 FETCH $ (UID INTERNALDATE FLAGS BODY.PEEK[HEADER])',
    {
      sequence: { kind: 'saved' },
      items: [{ kind: 'UID' }, { kind: 'INTERNALDATE' }, { kind: 'FLAGS' }, { kind: 'BODY[]', peek: true, section: { part: [], text: 'HEADER', fields: null }, partial: null }],
    },
  ],
  ['A300 SEARCH RETURN (SAVE) SINCE 1-Jan-2004 NOT FROM "Smith"', { returnOptions: ['SAVE'] }],
  ['A301 UID SEARCH UID $ SMALLER 4096', { uid: true, criteria: [{ kind: 'UID', set: { kind: 'saved' } }, { kind: 'SMALLER', size: 4096 }] }],
  ['A301 UID SEARCH $ SMALLER 4096', { criteria: [{ kind: 'SEQUENCE', set: { kind: 'saved' } }, { kind: 'SMALLER', size: 4096 }] }],
  [
    `P283 SEARCH CHARSET UTF-8 (OR $ 1,3000:3021) TEXT ${lit('мать', true)}`,
    {
      criteria: [
        { kind: 'AND', keys: [{ kind: 'OR', left: { kind: 'SEQUENCE', set: { kind: 'saved' } }, right: { kind: 'SEQUENCE', set: seq('1,3000:3021') } }] },
        { kind: 'TEXT', value: 'мать' },
      ],
    },
  ],
  [`B283 SEARCH RETURN (SAVE) CHARSET KOI8-R (OR $ 1,3000:3021) TEXT ${lit('XXXX')}`, { charset: 'KOI8-R', criteria: [{ kind: 'AND' }, { kind: 'TEXT', value: 'XXXX' }] }],
  ['E282 SEARCH RETURN (SAVE) SINCE 28-Oct-2006 NOT FROM "Eric"', { returnOptions: ['SAVE'] }],
  ['E283 COPY $ "Other Messages"', { kind: 'COPY', sequence: { kind: 'saved' }, mailbox: 'Other Messages' }],
  ['F282 SEARCH RETURN (SAVE) KEYWORD $Junk', { criteria: [{ kind: 'KEYWORD', flag: '$Junk' }] }],
  ['F284 STORE $ +FLAGS.Silent (\\Deleted)', { kind: 'STORE', sequence: { kind: 'saved' }, action: 'add', silent: true, flags: ['\\Deleted'] }],
  ['G283 SEARCH RETURN (ALL) SINCE 28-Oct-2006', { returnOptions: ['ALL'] }],
  ['C283 SEARCH RETURN (ALL SAVE) SINCE 12-Feb-2006', { returnOptions: ['ALL', 'SAVE'] }],
  ['C284 SEARCH RETURN (SAVE MIN) SINCE 12-Feb-2006', { returnOptions: ['SAVE', 'MIN'] }],
  ['C285 SEARCH RETURN (MAX SAVE MIN) SINCE 12-Feb-2006', { returnOptions: ['MAX', 'SAVE', 'MIN'] }],
  ['C286 SEARCH RETURN (MAX SAVE MIN COUNT) SINCE 12-Feb-2006', { returnOptions: ['MAX', 'SAVE', 'MIN', 'COUNT'] }],
  [
    'A654 FETCH 2:4 (FLAGS BODY[HEADER.FIELDS (DATE FROM)])',
    { items: [{ kind: 'FLAGS' }, { kind: 'BODY[]', peek: false, section: { part: [], text: 'HEADER.FIELDS', fields: ['DATE', 'FROM'] } }] },
  ],
  ['A003 STORE 2:4 +FLAGS (\\Deleted)', { kind: 'STORE', action: 'add', silent: false, flags: ['\\Deleted'], unchangedSince: null }],
  ['a UID MOVE 42:69 foo', { kind: 'MOVE', uid: true, sequence: seq('42:69'), mailbox: 'foo' }],
  ['A003 UID EXPUNGE 3000:3002', { kind: 'EXPUNGE', uid: true, sequence: seq('3000:3002') }],
  ['A999 UID FETCH 4827313:4828442 FLAGS', { kind: 'FETCH', uid: true, items: [{ kind: 'FLAGS' }], macro: null }],
];

const EXTENSIONS: readonly Row[] = [
  // RFC 7162 CONDSTORE / QRESYNC
  ['a103 UID STORE 6,4,8 (UNCHANGEDSINCE 12121230045) +FLAGS.SILENT (\\Deleted)', { uid: true, sequence: seq('6,4,8'), unchangedSince: 12121230045n, action: 'add', silent: true }],
  ['a104 STORE * (UNCHANGEDSINCE 12121230045) +FLAGS.SILENT (\\Deleted $MDNSent)', { sequence: seq('*'), flags: ['\\Deleted', '$MDNSent'] }],
  ['c101 STORE 50 (UNCHANGEDSINCE 12121230045) -FLAGS.SILENT (\\Deleted)', { action: 'remove', silent: true }],
  ['a102 STORE 12 (UNCHANGEDSINCE 0) +FLAGS.SILENT $MDNSent', { unchangedSince: 0n, flags: ['$MDNSent'] }],
  ['B001 STORE 1:7 (UNCHANGEDSINCE 320172338) +FLAGS (\\SEEN)', { flags: ['\\Seen'] }],
  ['A150 STORE 1:2 (UNCHANGEDSINCE 96) +FLAGS.SILENT \\Seen', { flags: ['\\Seen'], unchangedSince: 96n }],
  ['s100 UID FETCH 1:* (FLAGS) (CHANGEDSINCE 12345)', { uid: true, changedSince: 12345n, vanished: false }],
  ['a FETCH 1:3 (MODSEQ)', { items: [{ kind: 'MODSEQ' }] }],
  ['a SEARCH MODSEQ "/flags/\\\\draft" all 620162338', { criteria: [{ kind: 'MODSEQ', modseq: 620162338n, entry: { flag: '\\Draft', type: 'all' } }] }],
  [
    't SEARCH OR NOT MODSEQ 720162338 LARGER 50000',
    { criteria: [{ kind: 'OR', left: { kind: 'NOT', key: { kind: 'MODSEQ', modseq: 720162338n, entry: null } }, right: { kind: 'LARGER', size: 50000 } }] },
  ],
  ['A042 STATUS blurdybloop (UIDNEXT MESSAGES HIGHESTMODSEQ)', { items: ['UIDNEXT', 'MESSAGES', 'HIGHESTMODSEQ'] }],
  ['A142 SELECT INBOX (CONDSTORE)', { kind: 'SELECT', condstore: true }],
  ['a SEARCH RETURN (ALL) MODSEQ 1234', { returnOptions: ['ALL'] }],
  [
    'A02 SELECT INBOX (QRESYNC (67890007 20050715194045000 41,43:211,214:541))',
    { qresync: { uidValidity: 67890007, modseq: 20050715194045000n, knownUids: seq('41,43:211,214:541'), seqMatch: null } },
  ],
  ['A03 SELECT INBOX (QRESYNC (67890007 90060115194045000 41:211,214:541))', { qresync: { modseq: 90060115194045000n } }],
  [
    'B04 SELECT INBOX (QRESYNC (67890007 90060115194045000 1:29997 (5000,7500,9000,9990:9999 15000,22500,27000,29970,29973,29976,29979,29982,29985,29988,29991,29994,29997)))',
    {
      qresync: {
        knownUids: seq('1:29997'),
        seqMatch: { sequences: seq('5000,7500,9000,9990:9999'), uids: seq('15000,22500,27000,29970,29973,29976,29979,29982,29985,29988,29991,29994,29997') },
      },
    },
  ],
  ['A142 SELECT INBOX (QRESYNC (3857529045 20010715194032001 1:198))', { qresync: { uidValidity: 3857529045 } }],
  ['s100 UID FETCH 300:500 (FLAGS) (CHANGEDSINCE 12345 VANISHED)', { uid: true, changedSince: 12345n, vanished: true }],
  ['s101 UID SEARCH 300:500', { uid: true }],
  // RFC 4731 with CONDSTORE
  ['a1 SEARCH RETURN (MIN) MODSEQ "/flags/\\\\draft" all 620162338', { returnOptions: ['MIN'] }],
  // RFC 6154 SPECIAL-USE / CREATE-SPECIAL-USE
  ['t2 LIST "" "%" RETURN (SPECIAL-USE)', { returns: { specialUse: true } }],
  ['t3 LIST (SPECIAL-USE) "" "*"', { selection: { specialUse: true } }],
  ['t2 CREATE MySpecial (USE (\\Drafts \\Sent))', { kind: 'CREATE', specialUse: ['\\Drafts', '\\Sent'] }],
  ['t3 CREATE Everything (USE (\\All))', { specialUse: ['\\All'] }],
  // RFC 8474 OBJECTID
  ['3 create foo', { kind: 'CREATE', mailbox: 'foo' }],
  ['27 select "foo"', { kind: 'SELECT', mailbox: 'foo' }],
  ['6 status foo (mailboxid)', { kind: 'STATUS', items: ['MAILBOXID'] }],
  ['8 rename foo renamed', { kind: 'RENAME' }],
  ['11 list "" "*" return (status (mailboxid))', { returns: { status: ['MAILBOXID'] } }],
  ['22 fetch 1:* (emailid threadid)', { items: [{ kind: 'EMAILID' }, { kind: 'THREADID' }] }],
  ['23 move 2 foo', { kind: 'MOVE', uid: false }],
  ['27 search emailid M6d99ac3275bb4e', { criteria: [{ kind: 'EMAILID', id: 'M6d99ac3275bb4e' }] }],
  ['28 search threadid T64b478a75b7ea9', { criteria: [{ kind: 'THREADID', id: 'T64b478a75b7ea9' }] }],
  [`5 append inbox "20-Mar-2018 03:07:37 +1100" ${lit('Subject: x\r\n\r\nbody')}`, { mailbox: 'INBOX', messages: [{ internalDate: { utcMs: Date.UTC(2018, 2, 19, 16, 7, 37), offsetMinutes: 660 } }] }],
  // RFC 8514 SAVEDATE
  ['A101 FETCH 998 (SAVEDATE)', { items: [{ kind: 'SAVEDATE' }] }],
  ['A102 SEARCH SAVEDON 28-Dec-2014', { criteria: [{ kind: 'SAVEDON', date: { year: 2014, month: 12, day: 28 } }] }],
  ['A103 SEARCH SAVEDSINCE 28-Dec-2014', { criteria: [{ kind: 'SAVEDSINCE' }] }],
  ['A104 SEARCH SAVEDATESUPPORTED', { criteria: [{ kind: 'SAVEDATESUPPORTED' }] }],
  // RFC 8970 PREVIEW
  ['A1 FETCH 1 (PREVIEW)', { items: [{ kind: 'PREVIEW', lazy: false }] }],
  ['A2 FETCH 1 (RFC822.SIZE PREVIEW)', { items: [{ kind: 'RFC822.SIZE' }, { kind: 'PREVIEW', lazy: false }] }],
  ['B1 FETCH 1:4 (ENVELOPE PREVIEW (LAZY))', { items: [{ kind: 'ENVELOPE' }, { kind: 'PREVIEW', lazy: true }] }],
  ['C2 SEARCH RETURN (SAVE) FROM "FOO"', { criteria: [{ kind: 'FROM', value: 'FOO' }] }],
  ['C3 FETCH $ (UID PREVIEW (LAZY))', { sequence: { kind: 'saved' }, items: [{ kind: 'UID' }, { kind: 'PREVIEW', lazy: true }] }],
  ['C4 UID FETCH 23 (PREVIEW)', { uid: true }],
  // RFC 5256 SORT / THREAD, RFC 5957
  [
    'A283 SORT (SUBJECT REVERSE DATE) UTF-8 ALL',
    { kind: 'SORT', charset: 'UTF-8', sortCriteria: [{ key: 'SUBJECT', reverse: false }, { key: 'DATE', reverse: true }], criteria: [{ kind: 'ALL' }] },
  ],
  ['A284 SORT (SUBJECT) US-ASCII TEXT "not in mailbox"', { charset: 'US-ASCII', criteria: [{ kind: 'TEXT', value: 'not in mailbox' }] }],
  ['A285 UID SORT (DISPLAYFROM REVERSE DISPLAYTO) UTF-8 ALL', { uid: true, sortCriteria: [{ key: 'DISPLAYFROM' }, { key: 'DISPLAYTO', reverse: true }] }],
  ['A284 THREAD ORDEREDSUBJECT US-ASCII TEXT "gewp"', { kind: 'THREAD', algorithm: 'ORDEREDSUBJECT', charset: 'US-ASCII' }],
  ['A285 THREAD REFERENCES UTF-8 SINCE 5-MAR-2000', { algorithm: 'REFERENCES', criteria: [{ kind: 'SINCE', date: { year: 2000, month: 3, day: 5 } }] }],
  // RFC 9208 QUOTA
  ['G0001 GETQUOTA "!partition/sda4"', { kind: 'GETQUOTA', root: '!partition/sda4' }],
  ['G0002 GETQUOTAROOT INBOX', { kind: 'GETQUOTAROOT', mailbox: 'INBOX' }],
  ['S0001 SETQUOTA "#user/alice" (STORAGE 510)', { kind: 'SETQUOTA', root: '#user/alice', limits: [{ resource: 'STORAGE', limit: 510 }] }],
  ['S0002 SETQUOTA "!partition/sda4" (STORAGE 99999999)', { limits: [{ resource: 'STORAGE', limit: 99999999 }] }],
  ['S0003 STATUS INBOX (MESSAGES DELETED DELETED-STORAGE)', { items: ['MESSAGES', 'DELETED', 'DELETED-STORAGE'] }],
  // RFC 2971 ID
  [
    'a023 ID ("name" "sodr" "version" "19.34" "vendor" "Pink Floyd Music Limited")',
    { kind: 'ID', params: [{ field: 'name', value: 'sodr' }, { field: 'version', value: '19.34' }, { field: 'vendor', value: 'Pink Floyd Music Limited' }] },
  ],
  ['a042 ID NIL', { kind: 'ID', params: null }],
  // RFC 8508 REPLACE
  [`A003 REPLACE 4 Drafts (\\Seen \\Draft) ${lit(REPLACE_MSG)}`, { kind: 'REPLACE', uid: false, target: 4, mailbox: 'Drafts', message: { flags: ['\\Seen', '\\Draft'], data: Buffer.from(REPLACE_MSG) } }],
  [`A004 UID REPLACE 2000 Drafts (\\Seen \\Draft) ${lit(REPLACE_MSG)}`, { kind: 'REPLACE', uid: true, target: 2000 }],
  // RFC 5032 WITHIN, RFC 4978 COMPRESS, RFC 3691 UNSELECT, RFC 5161 ENABLE, RFC 8437, RFC 8438
  ['a1 SEARCH UNSEEN YOUNGER 259200', { criteria: [{ kind: 'UNSEEN' }, { kind: 'YOUNGER', seconds: 259200 }] }],
  ['c compress deflate', { kind: 'COMPRESS', algorithm: 'DEFLATE' }],
  ['b login arnt tnra', { kind: 'LOGIN', username: 'arnt', password: 'tnra' }],
  ['a1 ENABLE CONDSTORE', { kind: 'ENABLE', capabilities: ['CONDSTORE'] }],
  ['a UNAUTHENTICATE', { kind: 'UNAUTHENTICATE' }],
  ['A01 STATUS frop (MESSAGES SIZE UIDNEXT)', { items: ['MESSAGES', 'SIZE', 'UIDNEXT'] }],
  ['A04 LIST "" % RETURN (STATUS (MESSAGES SIZE))', { returns: { status: ['MESSAGES', 'SIZE'] } }],
  ['A03 FETCH 1:* (RFC822.SIZE)', { items: [{ kind: 'RFC822.SIZE' }] }],
  // RFC 7888 LITERAL+
  [`A001 LOGIN {11+}${CRLF}FRED FOOBAR {7+}${CRLF}fat man`, { kind: 'LOGIN', username: 'FRED FOOBAR', password: 'fat man' }],
];

describe('RFC 9051 §6 command examples', () => {
  it.each(RFC9051)('%s', (text, want) => {
    expect(parseOne(text)).toMatchObject(want);
  });

  it('the APPEND example message is the 326 octets the RFC announces', () => {
    expect(Buffer.byteLength(RFC9051_APPEND_MSG)).toBe(326);
  });
});

describe('extension RFC command examples', () => {
  it.each(EXTENSIONS)('%s', (text, want) => {
    expect(parseOne(text)).toMatchObject(want);
  });
});

describe('RFC 3502 MULTIAPPEND', () => {
  it('parses several messages with their own flags and dates', () => {
    const m1 = 'Date: Mon, 7 Feb 1994 21:52:25 -0800 (PST)\r\n\r\nHello Joe\r\n';
    const m2 = 'Date: Mon, 7 Feb 1994 22:43:04 -0800 (PST)\r\n\r\n3:30 is fine with me.\r\n';
    const cmd = parseOne(`A003 APPEND saved-messages (\\Seen) ${lit(m1)} (\\Seen) " 7-Feb-1994 22:43:04 -0800" ${lit(m2)}`);
    expect(cmd).toMatchObject({
      kind: 'APPEND',
      messages: [
        { flags: ['\\Seen'], internalDate: null, data: Buffer.from(m1) },
        { flags: ['\\Seen'], internalDate: { utcMs: Date.UTC(1994, 1, 8, 6, 43, 4), offsetMinutes: -480 }, data: Buffer.from(m2) },
      ],
    });
  });
});
