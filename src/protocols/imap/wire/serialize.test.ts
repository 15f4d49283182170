import { describe, expect, it } from 'vitest';
import { parseSequenceSet } from './sequence-set.js';
import { ResponseWriter, responseToBuffer, serializeResponse } from './serialize.js';
import type { FetchAttr, Response, ResponseCode, SimpleResponseCode, ThreadNode } from './responses.js';

const out = (r: Response, utf8 = false): string => responseToBuffer(r, { utf8 }).toString('utf8');
const ok = (code: ResponseCode, text = 'done'): string => out({ kind: 'status', tag: 'a1', status: 'OK', code, text });

describe('status responses', () => {
  it('writes tagged and untagged conditions', () => {
    expect(out({ kind: 'status', tag: 'A001', status: 'OK', text: 'LOGIN completed' })).toBe('A001 OK LOGIN completed\r\n');
    expect(out({ kind: 'status', tag: null, status: 'BYE', text: 'Autologout; idle for too long' })).toBe('* BYE Autologout; idle for too long\r\n');
    expect(out({ kind: 'status', tag: null, status: 'PREAUTH', text: 'IMAP4rev2 server logged in as Smith' })).toBe(
      '* PREAUTH IMAP4rev2 server logged in as Smith\r\n',
    );
    expect(out({ kind: 'status', tag: 'a', status: 'NO', code: { code: 'TRYCREATE' }, text: 'No such mailbox' })).toBe('a NO [TRYCREATE] No such mailbox\r\n');
  });

  it('keeps text on one line, 7-bit for rev1 clients, and never starting with "["', () => {
    expect(out({ kind: 'status', tag: 'a', status: 'BAD', text: 'x\r\n* OK injected' })).toBe('a BAD x * OK injected\r\n');
    expect(out({ kind: 'status', tag: 'a', status: 'NO', text: 'Ordner gelöscht' })).toBe('a NO Ordner gel?scht\r\n');
    expect(out({ kind: 'status', tag: 'a', status: 'NO', text: 'Ordner gelöscht' }, true)).toBe('a NO Ordner gelöscht\r\n');
    expect(out({ kind: 'status', tag: 'a', status: 'NO', text: '[ALERT] fake' })).toBe('a NO  [ALERT] fake\r\n');
    expect(out({ kind: 'status', tag: null, status: 'OK', code: { code: 'CLOSED' }, text: '' })).toBe('* OK [CLOSED] CLOSED\r\n');
  });

  const simple: SimpleResponseCode[] = [
    'ALERT', 'PARSE', 'READ-ONLY', 'READ-WRITE', 'TRYCREATE', 'UIDNOTSTICKY', 'UNAVAILABLE', 'AUTHENTICATIONFAILED',
    'AUTHORIZATIONFAILED', 'EXPIRED', 'PRIVACYREQUIRED', 'CONTACTADMIN', 'NOPERM', 'INUSE', 'EXPUNGEISSUED', 'CORRUPTION',
    'SERVERBUG', 'CLIENTBUG', 'CANNOT', 'LIMIT', 'OVERQUOTA', 'ALREADYEXISTS', 'NONEXISTENT', 'NOTSAVED', 'HASCHILDREN',
    'CLOSED', 'UNKNOWN-CTE', 'NOMODSEQ', 'USEATTR', 'TOOBIG', 'COMPRESSIONACTIVE',
  ];
  it.each(simple)('[%s]', (code) => {
    expect(ok({ code })).toBe(`a1 OK [${code}] done\r\n`);
  });

  it.each(([
    [{ code: 'BADCHARSET' }, 'BADCHARSET'],
    [{ code: 'BADCHARSET', charsets: ['UTF-8', 'US-ASCII'] }, 'BADCHARSET (UTF-8 US-ASCII)'],
    [{ code: 'CAPABILITY', capabilities: ['IMAP4rev1', 'IMAP4rev2', 'AUTH=PLAIN'] }, 'CAPABILITY IMAP4rev1 IMAP4rev2 AUTH=PLAIN'],
    [{ code: 'PERMANENTFLAGS', flags: ['\\Deleted', '\\Seen', '\\*'] }, 'PERMANENTFLAGS (\\Deleted \\Seen \\*)'],
    [{ code: 'PERMANENTFLAGS', flags: [] }, 'PERMANENTFLAGS ()'],
    [{ code: 'UIDNEXT', value: 4392 }, 'UIDNEXT 4392'],
    [{ code: 'UIDVALIDITY', value: 3857529045 }, 'UIDVALIDITY 3857529045'],
    [{ code: 'APPENDUID', uidValidity: 38505, uids: [3955] }, 'APPENDUID 38505 3955'],
    [{ code: 'APPENDUID', uidValidity: 38505, uids: [3955, 3956, 3957, 3960] }, 'APPENDUID 38505 3955:3957,3960'],
    [{ code: 'COPYUID', uidValidity: 38505, source: [304, 319, 320], destination: [3956, 3957, 3958] }, 'COPYUID 38505 304,319:320 3956:3958'],
    [{ code: 'COPYUID', uidValidity: 1, source: parseSequenceSet('4:6')!, destination: parseSequenceSet('10:12')! }, 'COPYUID 1 4:6 10:12'],
    [{ code: 'HIGHESTMODSEQ', modseq: 90060128194045007n }, 'HIGHESTMODSEQ 90060128194045007'],
    [{ code: 'MODIFIED', set: [7, 9] }, 'MODIFIED 7,9'],
    [{ code: 'MAILBOXID', id: 'F2212ea87-6097-4256-9d51-71338625' }, 'MAILBOXID (F2212ea87-6097-4256-9d51-71338625)'],
    [{ code: 'OTHER', atom: 'X-FOO', text: 'a ] b' }, 'X-FOO a   b'],
    [{ code: 'OTHER', atom: 'X-BAR' }, 'X-BAR'],
  ] as [ResponseCode, string][]).map(([c, t]) => [t, c] as const))('[%s]', (text, code) => {
    expect(ok(code)).toBe(`a1 OK [${text}] done\r\n`);
  });

  it('writes continuation requests', () => {
    expect(out({ kind: 'continue' })).toBe('+ Ready\r\n');
    expect(out({ kind: 'continue', text: 'idling' })).toBe('+ idling\r\n');
    expect(out({ kind: 'continue', base64: Buffer.from('challenge') })).toBe('+ Y2hhbGxlbmdl\r\n');
    expect(out({ kind: 'continue', base64: Buffer.alloc(0) })).toBe('+ \r\n');
  });
});

describe('data responses', () => {
  it.each(([
    [{ kind: 'CAPABILITY', capabilities: ['IMAP4rev2', 'STARTTLS', 'AUTH=GSSAPI', 'LOGINDISABLED'] }, '* CAPABILITY IMAP4rev2 STARTTLS AUTH=GSSAPI LOGINDISABLED'],
    [{ kind: 'ENABLED', capabilities: ['CONDSTORE'] }, '* ENABLED CONDSTORE'],
    [{ kind: 'ENABLED', capabilities: [] }, '* ENABLED'],
    [{ kind: 'FLAGS', flags: ['\\Answered', '\\Flagged', '\\Deleted', '\\Seen', '\\Draft'] }, '* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)'],
    [{ kind: 'EXISTS', n: 23 }, '* 23 EXISTS'],
    [{ kind: 'RECENT', n: 5 }, '* 5 RECENT'],
    [{ kind: 'EXPUNGE', n: 44 }, '* 44 EXPUNGE'],
    [{ kind: 'VANISHED', earlier: true, uids: [300, 301, 302, 303, 304, 305, 306, 307, 308, 309, 310, 405, 411] }, '* VANISHED (EARLIER) 300:310,405,411'],
    [{ kind: 'VANISHED', earlier: false, uids: parseSequenceSet('405,407,410,425')! }, '* VANISHED 405,407,410,425'],
    [{ kind: 'SEARCH', ids: [2, 84, 882] }, '* SEARCH 2 84 882'],
    [{ kind: 'SEARCH', ids: [] }, '* SEARCH'],
    [{ kind: 'SEARCH', ids: [2, 5, 6, 7, 11, 12, 18, 19, 20, 23], modseq: 917162500n }, '* SEARCH 2 5 6 7 11 12 18 19 20 23 (MODSEQ 917162500)'],
    [{ kind: 'SEARCH', ids: [], modseq: 5n }, '* SEARCH'],
    [{ kind: 'SORT', ids: [2, 84, 882] }, '* SORT 2 84 882'],
    [{ kind: 'ESEARCH', tag: 'A282', uid: false, min: 2, count: 3 }, '* ESEARCH (TAG "A282") MIN 2 COUNT 3'],
    [{ kind: 'ESEARCH', tag: 'A283', uid: false, all: [2, 10, 11] }, '* ESEARCH (TAG "A283") ALL 2,10:11'],
    [{ kind: 'ESEARCH', tag: 'A285', uid: true, min: 7, max: 3800 }, '* ESEARCH (TAG "A285") UID MIN 7 MAX 3800'],
    [{ kind: 'ESEARCH', tag: 'A286', uid: false, count: 15 }, '* ESEARCH (TAG "A286") COUNT 15'],
    [{ kind: 'ESEARCH', tag: 'a4', uid: false, min: 2, count: 10, modseq: 917162500n }, '* ESEARCH (TAG "a4") MIN 2 COUNT 10 MODSEQ 917162500'],
    [{ kind: 'ESEARCH', tag: 'a', uid: false, all: [], count: 0 }, '* ESEARCH (TAG "a") COUNT 0'],
    [{ kind: 'ESEARCH', tag: null, uid: true, all: [1] }, '* ESEARCH UID ALL 1'],
    [{ kind: 'ID', params: null }, '* ID NIL'],
    [
      { kind: 'ID', params: [{ field: 'name', value: 'Cyrus' }, { field: 'version', value: '1.5' }, { field: 'support-url', value: null }] },
      '* ID ("name" "Cyrus" "version" "1.5" "support-url" NIL)',
    ],
    [{ kind: 'NAMESPACE', personal: [{ prefix: '', delimiter: '/' }], other: null, shared: null }, '* NAMESPACE (("" "/")) NIL NIL'],
    [
      {
        kind: 'NAMESPACE',
        personal: [{ prefix: '', delimiter: '/' }],
        other: [{ prefix: '~', delimiter: '/' }],
        shared: [{ prefix: '#shared/', delimiter: '/' }, { prefix: '#public/', delimiter: '/' }],
      },
      '* NAMESPACE (("" "/")) (("~" "/")) (("#shared/" "/")("#public/" "/"))',
    ],
    [{ kind: 'QUOTA', root: '', resources: [{ name: 'STORAGE', usage: 10, limit: 512 }] }, '* QUOTA "" (STORAGE 10 512)'],
    [{ kind: 'QUOTA', root: '!partition/sda4', resources: [{ name: 'STORAGE', usage: 104, limit: 10923847 }, { name: 'MESSAGE', usage: 1, limit: 9 }] }, '* QUOTA !partition/sda4 (STORAGE 104 10923847 MESSAGE 1 9)'],
    [{ kind: 'QUOTAROOT', mailbox: 'INBOX', roots: [''] }, '* QUOTAROOT "INBOX" ""'],
    [{ kind: 'QUOTAROOT', mailbox: 'comp.mail.mime', roots: [] }, '* QUOTAROOT "comp.mail.mime"'],
  ] as [Response, string][]).map(([r, t]) => [t, r] as const))('%s', (text, r) => {
    expect(out(r)).toBe(text + '\r\n');
  });

  it('writes LIST and LSUB with the client’s mailbox name encoding', () => {
    const list: Response = { kind: 'LIST', attributes: ['\\HasNoChildren', '\\Drafts'], delimiter: '/', mailbox: 'Entwürfe' };
    expect(out(list)).toBe('* LIST (\\HasNoChildren \\Drafts) "/" "Entw&APw-rfe"\r\n');
    expect(out(list, true)).toBe('* LIST (\\HasNoChildren \\Drafts) "/" "Entwürfe"\r\n');
    expect(out({ kind: 'LSUB', attributes: [], delimiter: '.', mailbox: '#news.comp.mail.misc' })).toBe('* LSUB () "." "#news.comp.mail.misc"\r\n');
    expect(out({ kind: 'LIST', attributes: ['\\Noselect'], delimiter: null, mailbox: '' })).toBe('* LIST (\\Noselect) NIL ""\r\n');
    expect(out({ kind: 'LIST', attributes: [], delimiter: '\\', mailbox: 'a"b' })).toBe('* LIST () "\\\\" "a\\"b"\r\n');
  });

  it('writes LIST extended data (RFC 5258 CHILDINFO, OLDNAME)', () => {
    expect(out({ kind: 'LIST', attributes: [], delimiter: '/', mailbox: 'Foo', childInfo: ['SUBSCRIBED'] })).toBe('* LIST () "/" "Foo" ("CHILDINFO" ("SUBSCRIBED"))\r\n');
    expect(out({ kind: 'LIST', attributes: [], delimiter: '/', mailbox: 'Neu', oldName: 'Alt' })).toBe('* LIST () "/" "Neu" ("OLDNAME" ("Alt"))\r\n');
  });

  it('writes STATUS items in a stable order', () => {
    expect(out({ kind: 'STATUS', mailbox: 'blurdybloop', values: { UIDNEXT: 44292, MESSAGES: 231 } })).toBe('* STATUS "blurdybloop" (MESSAGES 231 UIDNEXT 44292)\r\n');
    expect(
      out({ kind: 'STATUS', mailbox: 'INBOX', values: { HIGHESTMODSEQ: 7011231777n, SIZE: 44421, MAILBOXID: 'Fabc', APPENDLIMIT: null, 'DELETED-STORAGE': 3, UNSEEN: 0 } }),
    ).toBe('* STATUS "INBOX" (UNSEEN 0 SIZE 44421 DELETED-STORAGE 3 HIGHESTMODSEQ 7011231777 APPENDLIMIT NIL MAILBOXID (Fabc))\r\n');
  });

  it('writes THREAD trees (RFC 5256 §4 examples)', () => {
    const n = (message: number | null, ...children: ThreadNode[]): ThreadNode => ({ message, children });
    expect(out({ kind: 'THREAD', threads: [n(2), n(3, n(6, n(4, n(23)), n(44, n(7, n(96)))))] })).toBe('* THREAD (2)(3 6 (4 23)(44 7 96))\r\n');
    expect(out({ kind: 'THREAD', threads: [n(166, n(167), n(168)), n(null, n(3), n(5))] })).toBe('* THREAD (166 (167)(168))((3)(5))\r\n');
    expect(out({ kind: 'THREAD', threads: [] })).toBe('* THREAD\r\n');
    let deep = n(100000);
    for (let i = 99999; i > 0; i--) deep = n(i, deep, n(i + 200000));
    expect(out({ kind: 'THREAD', threads: [deep] }).length).toBeGreaterThan(100000);
  });
});

describe('FETCH responses', () => {
  const fetchText = (items: FetchAttr[], utf8 = false): string => out({ kind: 'FETCH', seq: 12, items }, utf8);

  it('writes the simple items', () => {
    expect(fetchText([{ kind: 'UID', uid: 4827313 }, { kind: 'FLAGS', flags: ['\\Seen'] }, { kind: 'MODSEQ', modseq: 65402n }])).toBe(
      '* 12 FETCH (UID 4827313 FLAGS (\\Seen) MODSEQ (65402))\r\n',
    );
    expect(
      fetchText([
        { kind: 'INTERNALDATE', date: { utcMs: Date.UTC(1996, 6, 17, 9, 44, 25), offsetMinutes: -420 } },
        { kind: 'RFC822.SIZE', size: 4286 },
        { kind: 'SAVEDATE', date: null },
        { kind: 'EMAILID', id: 'M6d99ac3275bb4e' },
        { kind: 'THREADID', id: null },
        { kind: 'BINARY.SIZE', part: [1, 2], size: 2036 },
      ]),
    ).toBe('* 12 FETCH (INTERNALDATE "17-Jul-1996 02:44:25 -0700" RFC822.SIZE 4286 SAVEDATE NIL EMAILID (M6d99ac3275bb4e) THREADID NIL BINARY.SIZE[1.2] 2036)\r\n');
    expect(fetchText([{ kind: 'ENVELOPE', value: '("date" NIL NIL NIL NIL NIL NIL NIL NIL NIL)' }])).toBe(
      '* 12 FETCH (ENVELOPE ("date" NIL NIL NIL NIL NIL NIL NIL NIL NIL))\r\n',
    );
  });

  it('writes body sections as literals with the section echoed', () => {
    const data = Buffer.from('Date: x\r\nFrom: y\r\n\r\n');
    expect(
      fetchText([{ kind: 'BODY[]', section: { part: [], text: 'HEADER.FIELDS', fields: ['DATE', 'FROM'] }, origin: null, data }, { kind: 'UID', uid: 3 }]),
    ).toBe(`* 12 FETCH (BODY[HEADER.FIELDS (DATE FROM)] {${data.length}}\r\n${data.toString()} UID 3)\r\n`);
    expect(fetchText([{ kind: 'BODY[]', section: { part: [1], text: null, fields: null }, origin: 0, data: Buffer.from('ab') }])).toBe(
      '* 12 FETCH (BODY[1]<0> {2}\r\nab)\r\n',
    );
    expect(fetchText([{ kind: 'BODY[]', section: { part: [9], text: null, fields: null }, origin: null, data: null }])).toBe('* 12 FETCH (BODY[9] NIL)\r\n');
    expect(fetchText([{ kind: 'RFC822.HEADER', data: Buffer.from('') }])).toBe('* 12 FETCH (RFC822.HEADER {0}\r\n)\r\n');
  });

  it('uses literal8 only for BINARY data containing NUL (RFC 3516 §4.2)', () => {
    expect(fetchText([{ kind: 'BINARY[]', part: [2], origin: null, data: Buffer.from('a\0b') }])).toBe('* 12 FETCH (BINARY[2] ~{3}\r\na\0b)\r\n');
    expect(fetchText([{ kind: 'BINARY[]', part: [], origin: 5, data: Buffer.from('abc') }])).toBe('* 12 FETCH (BINARY[]<5> {3}\r\nabc)\r\n');
  });

  it('writes PREVIEW as quoted or literal depending on UTF-8 (RFC 8970)', () => {
    expect(fetchText([{ kind: 'PREVIEW', text: 'Hi there' }])).toBe('* 12 FETCH (PREVIEW "Hi there")\r\n');
    expect(fetchText([{ kind: 'PREVIEW', text: 'Grüße' }])).toBe('* 12 FETCH (PREVIEW {7}\r\nGrüße)\r\n');
    expect(fetchText([{ kind: 'PREVIEW', text: 'Grüße' }], true)).toBe('* 12 FETCH (PREVIEW "Grüße")\r\n');
    expect(fetchText([{ kind: 'PREVIEW', text: null }])).toBe('* 12 FETCH (PREVIEW NIL)\r\n');
  });

  it('passes large bodies through without copying them', () => {
    const body = Buffer.alloc(1 << 20, 0x61);
    const chunks = serializeResponse({ kind: 'FETCH', seq: 1, items: [{ kind: 'UID', uid: 9 }, { kind: 'BODY[]', section: { part: [], text: null, fields: null }, origin: null, data: body }] });
    expect(chunks).toHaveLength(3);
    expect(chunks[1]).toBe(body);
    expect(chunks[0]!.toString()).toBe(`* 1 FETCH (UID 9 BODY[] {${body.length}}\r\n`);
    expect(chunks[2]!.toString()).toBe(')\r\n');
  });
});

describe('ResponseWriter batching', () => {
  it('merges many small responses into few chunks with the same bytes', () => {
    const w = new ResponseWriter();
    let expected = '';
    for (let i = 1; i <= 5000; i++) {
      w.write({ kind: 'FETCH', seq: i, items: [{ kind: 'UID', uid: i + 100 }, { kind: 'FLAGS', flags: ['\\Seen'] }] });
      expected += `* ${i} FETCH (UID ${i + 100} FLAGS (\\Seen))\r\n`;
      if (i % 700 === 0) w.write({ kind: 'FETCH', seq: i, items: [{ kind: 'RFC822', data: Buffer.from('tiny') }] });
      if (i % 700 === 0) expected += `* ${i} FETCH (RFC822 {4}\r\ntiny)\r\n`;
    }
    const chunks = w.take();
    expect(Buffer.concat(chunks).toString()).toBe(expected);
    expect(chunks.length).toBeLessThan(20);
    expect(w.empty).toBe(true);
    expect(w.take()).toEqual([]);
  });

  it('follows the UTF-8 state it is given', () => {
    const w = new ResponseWriter();
    w.write({ kind: 'STATUS', mailbox: 'Café', values: { MESSAGES: 1 } });
    w.utf8 = true;
    w.write({ kind: 'STATUS', mailbox: 'Café', values: { MESSAGES: 1 } });
    expect(Buffer.concat(w.take()).toString()).toBe('* STATUS "Caf&AOk-" (MESSAGES 1)\r\n* STATUS "Café" (MESSAGES 1)\r\n');
  });
});
