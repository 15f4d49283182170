/**
 * Behaviour that Dovecot's imaptest compliance scripts found wrong in Roost, each reproduced here with
 * a raw socket (exact bytes and order), imapflow or Python's imaplib against the real server:
 * session-level rules (LOGOUT, FLAGS before new keywords, HIGHESTMODSEQ on the first CONDSTORE
 * enabling command, SEARCHRES after BADCHARSET, long ID, mailbox names that are not modified UTF-7,
 * subscriptions of deleted mailboxes) and message-level ones (BINARY of a message part, NUL content
 * from literal8, SEARCH by message number past the end, group addresses, SENT* dates, THREAD loops).
 */
import { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MailStore } from '../../src/store/store.js';
import { startServerInProcess, type InProcessServer } from '../helpers/server.js';
import { literalAfter, populate, PY_PRELUDE, pyLines, RawImap, runPython, simpleMessage } from './imap-support.js';

const ALICE = { address: 'alice@example.com', password: 'alice-secret' };

let srv: InProcessServer;
let port: number;
let store: MailStore;

beforeAll(async () => {
  srv = await startServerInProcess({ users: [ALICE], listeners: ['imap'] });
  port = srv.ports.imap!;
  store = srv.running.store;
});

afterAll(async () => {
  await srv?.stop();
});

let boxN = 0;
async function freshBox(raws: readonly Buffer[]): Promise<string> {
  const name = `Comp${++boxN}`;
  await populate(store, ALICE.address, name, raws);
  return name;
}

async function client(box?: string): Promise<RawImap> {
  const c = await RawImap.connect(port);
  await c.next();
  await c.login(ALICE.address, ALICE.password);
  if (box !== undefined) {
    const r = await c.command(`SELECT ${box}`);
    if (!r.status.startsWith('OK')) throw new Error(`SELECT ${box}: ${r.status}`);
  }
  return c;
}

function flow(): ImapFlow {
  return new ImapFlow({
    host: '127.0.0.1', port, secure: false, auth: { user: ALICE.address, pass: ALICE.password },
    tls: { rejectUnauthorized: false }, logger: false, disableAutoIdle: true,
  });
}

const crlf = (s: string): Buffer => Buffer.from(s.replace(/\r?\n/g, '\r\n'), 'latin1');

describe('session rules', () => {
  it('LOGOUT sends nothing after its BYE, even with changes pending from another session', async () => {
    const box = await freshBox([simpleMessage('one'), simpleMessage('two')]);
    const a = await client(box);
    const b = await client(box);
    await b.command('STORE 1 +FLAGS (\\Seen)');
    await b.command('STORE 2 +FLAGS (\\Deleted)');
    await b.command('EXPUNGE');
    const r = await a.command('LOGOUT');
    expect(r.status).toMatch(/^OK/);
    expect(r.untagged[r.untagged.length - 1]).toMatch(/^\* BYE /);
    expect(r.untagged.filter((l) => / (FETCH|EXPUNGE)$|FETCH \(/.test(l))).toEqual([]);
    await a.closedPromise;
    b.close();
  });

  it('announces a keyword in FLAGS before any FETCH shows it (RFC 9051 §7.3.5)', async () => {
    const box = await freshBox([simpleMessage('kw')]);
    const a = await client(box);
    const b = await client(box);
    await b.command('STORE 1 +FLAGS ($Fresh)');
    const r = await a.command('FETCH 1 (FLAGS)');
    const flags = r.untagged.findIndex((l) => /^\* FLAGS \(.*\$Fresh/.test(l));
    const fetch = r.untagged.findIndex((l) => /^\* 1 FETCH \(FLAGS \(\$Fresh\)\)$/.test(l));
    expect(flags).toBeGreaterThanOrEqual(0);
    expect(fetch).toBeGreaterThan(flags);
    a.close();
    b.close();
  });

  it('reports HIGHESTMODSEQ at the first CONDSTORE enabling command on a selected mailbox (RFC 7162 §3.1)', async () => {
    const box = await freshBox([simpleMessage('m1'), simpleMessage('m2')]);
    const highest = (await store.findMailbox((await store.getAccountByAddress(ALICE.address))!.id, box))!.highestModseq;
    const c = await client(box);
    const first = await c.command('FETCH 1 (MODSEQ)');
    expect(first.untagged).toContain(`* OK [HIGHESTMODSEQ ${highest}] Highest`);
    const second = await c.command('FETCH 2 (MODSEQ)');
    expect(second.untagged.some((l) => l.includes('HIGHESTMODSEQ'))).toBe(false);
    // SELECT (CONDSTORE) is itself the enabling command: no extra response after it.
    const d = await client();
    await d.command(`SELECT ${box} (CONDSTORE)`);
    expect((await d.command('FETCH 1 (MODSEQ)')).untagged.some((l) => l.includes('HIGHESTMODSEQ'))).toBe(false);
    c.close();
    d.close();
  });

  it('with CONDSTORE on, FLAGS in a FETCH come with MODSEQ, so a change by another session is never told without it', async () => {
    // Found by imaptest's checkpoint mode: a FETCH (FLAGS) answer stood in for another session's pending
    // change, and the client never learned that change's mod-sequence (RFC 7162 §3.1).
    const box = await freshBox([simpleMessage('c1'), simpleMessage('c2')]);
    const a = await client(box);
    const b = await client(box);
    await a.command('FETCH 1 (MODSEQ)');
    await b.command('FETCH 1 (MODSEQ)');
    const echo = (await b.command('STORE 1 +FLAGS (\\Flagged)')).untagged[0]!;
    const modseq = /MODSEQ \((\d+)\)/.exec(echo)?.[1];
    expect(modseq).toBeDefined();
    const r = await a.command('FETCH 1:2 (FLAGS)');
    expect(r.untagged).toContain(`* 1 FETCH (FLAGS (\\Flagged) MODSEQ (${modseq}))`);
    expect((await a.command('NOOP')).untagged).toEqual([]);
    a.close();
    b.close();
  });

  it('with CONDSTORE on, STORE echoes carry UID and MODSEQ, also .SILENT ones for changed messages (RFC 7162 §3.2.4, Example 14)', async () => {
    const box = await freshBox([simpleMessage('e1'), simpleMessage('e2')]);
    const uids = (await store.search((await store.findMailbox((await store.getAccountByAddress(ALICE.address))!.id, box))!.id, { op: 'all' }));
    const c = await client(box);
    await c.command('ENABLE CONDSTORE');
    const loud = await c.command('STORE 1 +FLAGS (\\Answered)');
    expect(loud.untagged).toEqual([expect.stringMatching(new RegExp(`^\\* 1 FETCH \\(UID ${uids[0]} FLAGS \\(\\\\Answered\\) MODSEQ \\(\\d+\\)\\)$`))]);
    const silent = await c.command('STORE 1:2 +FLAGS.SILENT (\\Answered)');
    // Only 2 changed: its new MODSEQ is reported, without FLAGS.
    expect(silent.untagged).toEqual([expect.stringMatching(new RegExp(`^\\* 2 FETCH \\(UID ${uids[1]} MODSEQ \\(\\d+\\)\\)$`))]);
    // A fetch that sets \Seen reports UID, FLAGS and MODSEQ.
    const seen = await c.command('FETCH 1 (BODY[TEXT])');
    expect(seen.untagged[0]).toMatch(new RegExp(`^\\* 1 FETCH \\(UID ${uids[0]} BODY\\[TEXT\\] \\{\\d+\\}\\r\\n[^]*FLAGS \\(\\\\Seen \\\\Answered\\) MODSEQ \\(\\d+\\)\\)$`));
    c.close();
  });

  it('empties $ when SEARCH RETURN (SAVE) fails on an unknown charset (RFC 9051 §6.4.4.1)', async () => {
    const box = await freshBox([simpleMessage('s1'), simpleMessage('s2'), simpleMessage('s3')]);
    const c = await client(box);
    await c.command('SEARCH RETURN (SAVE) ALL');
    expect((await c.command('FETCH $ (UID)')).untagged).toHaveLength(3);
    const r = await c.command('SEARCH RETURN (SAVE) CHARSET X-NO-SUCH-CHARSET (OR $ 1) TEXT x');
    expect(r.status).toMatch(/^NO \[BADCHARSET/);
    expect((await c.command('FETCH $ (UID)')).untagged).toEqual([]);
    // Without SAVE the saved result stays.
    await c.command('SEARCH RETURN (SAVE) 2');
    expect((await c.command('SEARCH RETURN (MIN) CHARSET X-NO-SUCH-CHARSET TEXT x')).status).toMatch(/^NO/);
    expect((await c.command('FETCH $ (UID)')).untagged).toHaveLength(1);
    c.close();
  });

  it('takes an ID of the largest size RFC 2971 allows before login', async () => {
    const c = await RawImap.connect(port);
    await c.next();
    const pairs = Array.from({ length: 30 }, (_, i) => `"${String.fromCharCode(97 + (i % 26))}${'f'.repeat(29)}" "${'v'.repeat(1024)}"`);
    const r = await c.command(`ID (${pairs.join(' ')})`);
    expect(r.status).toMatch(/^OK/);
    expect(r.untagged[0]).toMatch(/^\* ID \(/);
    c.close();
  });

  it('answers a mailbox name that is not modified UTF-7 with NO, and LIST of such a pattern with nothing', async () => {
    const c = await client();
    const weird = "!#$&'+,-.0123456789:;<=>?@^_`|[}";
    const sel = await c.command(`SELECT ${weird}`);
    expect(sel.status).toMatch(/^NO \[CANNOT\]/);
    const list = await c.command(`LIST "" ${weird}%*`);
    expect(list.status).toMatch(/^OK/);
    expect(list.untagged).toEqual([]);
    // The same name written correctly ("&" as "&-") works.
    expect((await c.command(`CREATE "${weird.replace('&', '&-')}"`)).status).toMatch(/^OK/);
    expect((await c.command(`LIST "" "${weird.replace('&', '&-')}"`)).untagged).toHaveLength(1);
    c.close();
  });

  it('keeps a deleted mailbox subscribed (\\NonExistent) until UNSUBSCRIBE (RFC 9051 §6.3.7, RFC 5258)', async () => {
    const c = await client();
    await c.command('CREATE Subs/gone');
    await c.command('CREATE Subs/kept');
    await c.command('SUBSCRIBE Subs/gone');
    await c.command('SUBSCRIBE Subs/kept');
    expect((await c.command('DELETE Subs/gone')).status).toMatch(/^OK/);
    const list = await c.command('LIST (SUBSCRIBED) "" Subs/*');
    expect(list.untagged).toEqual(['* LIST (\\NonExistent \\HasNoChildren \\Subscribed) "/" "Subs/gone"', '* LIST (\\HasNoChildren \\Subscribed) "/" "Subs/kept"']);
    expect((await c.command('LSUB "" Subs/*')).untagged).toEqual(['* LSUB (\\Noselect) "/" "Subs/gone"', '* LSUB () "/" "Subs/kept"']);
    // A plain LIST does not show it; SUBSCRIBE of it again is fine.
    expect((await c.command('LIST "" Subs/*')).untagged).toEqual(['* LIST (\\HasNoChildren) "/" "Subs/kept"']);
    expect((await c.command('SUBSCRIBE Subs/gone')).status).toMatch(/^OK/);
    // Created again, it is subscribed again.
    await c.command('CREATE Subs/gone');
    expect((await c.command('LIST (SUBSCRIBED) "" Subs/gone')).untagged).toEqual(['* LIST (\\HasNoChildren \\Subscribed) "/" "Subs/gone"']);
    await c.command('DELETE Subs/gone');
    expect((await c.command('UNSUBSCRIBE Subs/gone')).status).toMatch(/^OK/);
    expect((await c.command('LIST (SUBSCRIBED) "" Subs/*')).untagged).toEqual(['* LIST (\\HasNoChildren \\Subscribed) "/" "Subs/kept"']);
    c.close();
  });

  it('imaplib sees the same subscriptions through LSUB', async () => {
    const c = await client();
    await c.command('CREATE Py/alerts');
    await c.command('SUBSCRIBE Py/alerts');
    await c.command('DELETE Py/alerts');
    c.close();
    const out = await runPython(`${PY_PRELUDE}
M = imaplib.IMAP4('127.0.0.1', A['port'])
M.login(A['user'], A['pass'])
typ, data = M.lsub('""', 'Py/*')
out(lsub=[typ, data])
M.unsubscribe('Py/alerts')
typ, data = M.lsub('""', 'Py/*')
out(after=[typ, data])
M.logout()
`, { port, user: ALICE.address, pass: ALICE.password });
    const [lsub, after] = pyLines(out) as Array<Record<string, [string, Array<string | null>]>>;
    expect(lsub!['lsub']).toEqual(['OK', ['(\\Noselect) "/" "Py/alerts"']]);
    expect(after!['after']).toEqual(['OK', [null]]);
  });
});

describe('messages', () => {
  it('answers BINARY[n] of a message/rfc822 part with its content, as BODY[n] (RFC 3516)', async () => {
    const inner = 'From: sub@example.org\r\nSubject: inner\r\n\r\nInner body\r\n';
    const raw = crlf(`From: a@example.org\nContent-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n\nhello\n--b\nContent-Type: message/rfc822\n\n${inner}--b--\n`);
    const box = await freshBox([raw]);
    const c = await client(box);
    const r = await c.command('FETCH 1 (BINARY.PEEK[2] BINARY.SIZE[2] BODY.PEEK[2])');
    const line = r.untagged[0]!;
    expect(literalAfter(line, 'BINARY[2]')!.toString()).toBe(inner.slice(0, -2));
    expect(literalAfter(line, 'BODY[2]')!.toString()).toBe(inner.slice(0, -2));
    expect(line).toContain(`BINARY.SIZE[2] ${inner.length - 2}`);
    c.close();
  });

  it('stores literal8 content with NUL in base64: BODY[] never carries NUL, BINARY[] gives the bytes back', async () => {
    const box = await freshBox([]);
    const content = Buffer.from([0x00, 0xed, 0x0a, 0x0d, 0x0a, 0x00, 0x41]);
    const msg = Buffer.concat([
      crlf('From: user@example.org\nMime-Version: 1.0\nContent-Type: application/octet-stream\nContent-Transfer-Encoding: binary\n\n'),
      content,
    ]);
    const c = await client();
    c.write(`a1 APPEND ${box} ~{${msg.length}}\r\n`);
    expect(await c.next()).toMatch(/^\+/);
    c.write(Buffer.concat([msg, Buffer.from('\r\n')]));
    expect((await c.result('a1')).status).toMatch(/^OK \[APPENDUID/);
    await c.command(`SELECT ${box}`);
    const body = await c.command('FETCH 1 (BODY.PEEK[1] BODY.PEEK[1.MIME] BODY.PEEK[] BODYSTRUCTURE)');
    const line = body.untagged[0]!;
    expect(Buffer.from(line, 'latin1').includes(0)).toBe(false);
    expect(literalAfter(line, 'BODY[1]')!.toString()).toBe(content.toString('base64'));
    expect(line).toContain('"application" "octet-stream" NIL NIL NIL "base64"');
    const bin = await c.command('FETCH 1 (BINARY.PEEK[1] BINARY.SIZE[1])');
    expect(bin.untagged[0]).toContain(`BINARY.SIZE[1] ${content.length}`);
    const at = bin.untagged[0]!.indexOf(`BINARY[1] ~{${content.length}}\r\n`);
    expect(at).toBeGreaterThan(0);
    const data = bin.untagged[0]!.slice(at + `BINARY[1] ~{${content.length}}\r\n`.length, at + `BINARY[1] ~{${content.length}}\r\n`.length + content.length);
    expect(Buffer.from(data, 'latin1').equals(content)).toBe(true);
    c.close();
  });

  it('treats a message number past the end as matching nothing in SEARCH, and as an error in FETCH', async () => {
    const box = await freshBox([simpleMessage('n1'), simpleMessage('n2')]);
    const c = await client(box);
    expect(await c.command('SEARCH 1000')).toEqual({ status: 'OK SEARCH completed', untagged: ['* SEARCH'] });
    expect((await c.command('SEARCH RETURN (COUNT) 2:1000')).untagged).toEqual([expect.stringMatching(/^\* ESEARCH \(TAG "t\d+"\) COUNT 1$/)]);
    expect((await c.command('SORT (ARRIVAL) UTF-8 1000')).untagged).toEqual(['* SORT']);
    expect((await c.command('FETCH 1000 (FLAGS)')).status).toMatch(/^BAD/);
    c.close();
  });

  it('matches group names in TO/CC and sorts on a leading group (RFC 5256 §3, RFC 5957 §3)', async () => {
    const box = await freshBox([
      crlf('To: foo bar <user2@domain2.org>\nCc: user2@domain2.org (foo bar)\nSubject: 1\n\nx\n'),
      crlf('To: team: one@x.org, two@x.org;\nCc: user2: blah@domain1.org;\nSubject: 2\n\nx\n'),
      crlf('To: user1@domain1.org\nCc: user1@domain1.org\nSubject: 3\n\nx\n'),
      crlf('To: empty:;\nSubject: 4\n\nx\n'),
    ]);
    const f = flow();
    await f.connect();
    try {
      await f.mailboxOpen(box);
      expect(await f.search({ to: 'team' })).toEqual([2]);
      expect(await f.search({ to: 'empty' })).toEqual([4]);
      expect(await f.search({ cc: 'user2' })).toEqual([1, 2]);
    } finally {
      await f.logout();
    }
    const c = await client(box);
    // CC keys: user2, user2 (the group), user1, "" → 4 3 1 2.
    expect((await c.command('SORT (CC) UTF-8 ALL')).untagged).toEqual(['* SORT 4 3 1 2']);
    // DISPLAYTO keys: "foo bar", "team", "user1@domain1.org", "empty" → 4 1 2 3.
    expect((await c.command('SORT (DISPLAYTO) UTF-8 ALL')).untagged).toEqual(['* SORT 4 1 2 3']);
    c.close();
  });

  it('compares SENT* dates as the Date: header writes them, in its own zone (RFC 9051 §6.4.4)', async () => {
    const box = await freshBox([
      crlf('Date: Sat, 24 Mar 2007 23:00:00 +0200\nSubject: a\n\nx\n'),
      crlf('Date: Sun, 25 Mar 2007 00:30:00 +0200\nSubject: b\n\nx\n'),
      crlf('Date: Sun, 25 Mar 2007 23:00:00 +0300\nSubject: c\n\nx\n'),
      crlf('Date: Sun, 25 Mar 2007 23:30:00 -0500\nSubject: d\n\nx\n'),
    ]);
    const out = await runPython(`${PY_PRELUDE}
M = imaplib.IMAP4('127.0.0.1', A['port'])
M.login(A['user'], A['pass'])
M.select(A['box'])
for key in ['SENTON 24-Mar-2007', 'SENTON 25-Mar-2007', 'SENTBEFORE 25-Mar-2007', 'SENTSINCE 26-Mar-2007', 'NOT SENTON 25-Mar-2007']:
    typ, data = M.search(None, key)
    out(key=key, found=data[0])
M.logout()
`, { port, user: ALICE.address, pass: ALICE.password, box });
    expect(pyLines(out).map((l) => [l['key'], l['found']])).toEqual([
      ['SENTON 24-Mar-2007', '1'],
      ['SENTON 25-Mar-2007', '2 3 4'],
      ['SENTBEFORE 25-Mar-2007', '1'],
      ['SENTSINCE 26-Mar-2007', ''],
      ['NOT SENTON 25-Mar-2007', '1'],
    ]);
  });

  it('THREAD=REFERENCES breaks a parent link that a message\'s own References replace, even into a loop', async () => {
    const box = await freshBox([
      crlf('Message-ID: <a@b>\nDate: Fri, 22 Feb 2008 17:06:23 +0000\n\nbody\n'),
      crlf('Message-Id: <b@b>\nReferences: <a@b> <c@b>\nDate: Fri, 22 Feb 2008 15:06:23 +0000\n\nbody\n'),
      crlf('Message-Id: <c@b>\nReferences: <b@b>\nDate: Fri, 22 Feb 2008 16:06:25 +0000\n\nbody\n'),
    ]);
    const c = await client(box);
    expect((await c.command('THREAD REFERENCES US-ASCII ALL')).untagged).toEqual(['* THREAD (3 2)(1)']);
    c.close();
  });
});
